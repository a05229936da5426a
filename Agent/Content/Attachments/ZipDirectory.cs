using System;
using System.Collections.Generic;
using System.IO;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// The encryption flags of a zip archive's entries, read from its central directory (APPNOTE 4.3.12, general purpose
/// bit 0): System.IO.Compression on .NET Framework does not expose them. In the central directory's order, which is
/// also the order of <see cref="System.IO.Compression.ZipArchive.Entries"/>.
/// </summary>
internal static class ZipDirectory
{
    private const uint EndOfCentralDirectory = 0x06054B50;
    private const uint CentralFileHeader = 0x02014B50;

    /// <summary>One flag per entry; empty when the directory cannot be read this way (for example Zip64).</summary>
    public static IReadOnlyList<bool> EncryptedFlags(Stream seekable)
    {
        var length = seekable.Length;
        var tailLength = (int)Math.Min(length, 22 + 65535);
        var tail = new byte[tailLength];
        seekable.Position = length - tailLength;
        if (!ReadFully(seekable, tail, tailLength))
        {
            return Array.Empty<bool>();
        }

        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BitConverter.ToUInt32(tail, i) != EndOfCentralDirectory)
            {
                continue;
            }

            var count = BitConverter.ToUInt16(tail, i + 10);
            var size = BitConverter.ToUInt32(tail, i + 12);
            var offset = BitConverter.ToUInt32(tail, i + 16);
            if (count == 0xFFFF || offset == 0xFFFFFFFF || offset + (long)size > length || size > 64L * 1024 * 1024)
            {
                return Array.Empty<bool>();
            }

            var directory = new byte[size];
            seekable.Position = offset;
            return ReadFully(seekable, directory, (int)size) ? Parse(directory, count) : Array.Empty<bool>();
        }

        return Array.Empty<bool>();
    }

    private static List<bool> Parse(byte[] directory, int count)
    {
        var flags = new List<bool>(count);
        var position = 0;
        for (var n = 0; n < count && position + 46 <= directory.Length; n++)
        {
            if (BitConverter.ToUInt32(directory, position) != CentralFileHeader)
            {
                break;
            }

            flags.Add((BitConverter.ToUInt16(directory, position + 8) & 1) != 0);
            position += 46 + BitConverter.ToUInt16(directory, position + 28) + BitConverter.ToUInt16(directory, position + 30) + BitConverter.ToUInt16(directory, position + 32);
        }

        return flags;
    }

    private static bool ReadFully(Stream stream, byte[] buffer, int count)
    {
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
