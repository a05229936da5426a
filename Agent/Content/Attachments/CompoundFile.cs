using System;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// Reads the directory of an OLE compound file ([MS-CFB]) to tell whether it is an encrypted Office document: Office
/// stores a password-protected .docx/.xlsx/.pptx as a compound file with an EncryptionInfo stream next to the
/// EncryptedPackage ([MS-OFFCRYPTO] 2.3.4). Only the directory is read, following its sector chain through the FAT.
/// </summary>
internal static class CompoundFile
{
    private const uint EndOfChain = 0xFFFFFFFE;
    private const int MaxDirectorySectors = 4096;

    public static bool IsEncryptedOfficeDocument(Stream seekable)
    {
        var header = new byte[512];
        if (!ReadAt(seekable, 0, header, header.Length))
        {
            return false;
        }

        var sectorShift = BitConverter.ToUInt16(header, 0x1E);
        if (sectorShift is not 9 and not 12)
        {
            return false;
        }

        var sectorSize = 1 << sectorShift;
        var sector = BitConverter.ToUInt32(header, 0x30);
        var entry = new byte[128];
        for (var visited = 0; sector != EndOfChain && visited < MaxDirectorySectors; visited++)
        {
            var offset = (long)(sector + 1) * sectorSize;
            for (var e = 0; e < sectorSize / 128; e++)
            {
                if (!ReadAt(seekable, offset + (e * 128), entry, 128))
                {
                    return false;
                }

                var nameBytes = BitConverter.ToUInt16(entry, 0x40);
                if (entry[0x42] == 2 && nameBytes is > 2 and <= 64
                    && Encoding.Unicode.GetString(entry, 0, nameBytes - 2).Equals("EncryptionInfo", StringComparison.Ordinal))
                {
                    return true;
                }
            }

            sector = NextSector(seekable, header, sectorSize, sector);
        }

        return false;
    }

    /// <summary>FAT[sector], through the header's DIFAT (the first 109 FAT sectors: files up to several MB of directory).</summary>
    private static uint NextSector(Stream stream, byte[] header, int sectorSize, uint sector)
    {
        var perSector = (uint)(sectorSize / 4);
        var fatIndex = sector / perSector;
        if (fatIndex >= 109)
        {
            return EndOfChain;
        }

        var fatSector = BitConverter.ToUInt32(header, 0x4C + (int)(fatIndex * 4));
        var value = new byte[4];
        return ReadAt(stream, ((long)(fatSector + 1) * sectorSize) + ((sector % perSector) * 4), value, 4)
            ? BitConverter.ToUInt32(value, 0)
            : EndOfChain;
    }

    private static bool ReadAt(Stream stream, long offset, byte[] buffer, int count)
    {
        if (offset < 0 || offset + count > stream.Length)
        {
            return false;
        }

        stream.Position = offset;
        var total = 0;
        while (total < count)
        {
            var read = stream.Read(buffer, total, count - total);
            if (read <= 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }
}
