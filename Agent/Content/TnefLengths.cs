using System;
using System.Buffers.Binary;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Checks every length a TNEF stream (MS-OXTNEF) declares against the bytes that follow it, before MimeKit reads the
/// stream. MimeKit sizes its arrays from those lengths (an attribute's, a property value's, a property name's): a few
/// bytes claiming 2 GB made it allocate, or throw OutOfMemoryException, for a message of a kilobyte. An honest writer
/// never declares more than it wrote, so a length past the end of its attribute is malformed TNEF.
/// </summary>
internal static class TnefLengths
{
    private const int HeaderBytes = 6; // signature and legacy key
    private const int AttributeFrameBytes = 1 + 4 + 4 + 2; // level, tag, length, checksum

    private const uint MapiProperties = 0x00069003;
    private const uint RecipientTable = 0x00069004;
    private const uint Attachment = 0x00069005;

    private const ushort MultiValued = 0x1000;

    /// <summary>Names the first length <paramref name="tnef"/> cannot hold; null when every length fits.</summary>
    public static string? FindImplausible(ReadOnlySpan<byte> tnef)
    {
        var offset = HeaderBytes;
        while (offset < tnef.Length)
        {
            if (tnef.Length - offset < AttributeFrameBytes - 2)
            {
                return null; // a cut frame: MimeKit reports it as StreamTruncated
            }

            var tag = BinaryPrimitives.ReadUInt32LittleEndian(tnef.Slice(offset + 1));
            var length = BinaryPrimitives.ReadInt32LittleEndian(tnef.Slice(offset + 5));
            var dataStart = offset + 9;
            if (length < 0 || length > tnef.Length - dataStart)
            {
                return $"an attribute of {(uint)length} bytes where {tnef.Length - dataStart} remain";
            }

            var data = tnef.Slice(dataStart, length);
            var problem = tag switch
            {
                MapiProperties or Attachment => PropertyList(data, out _),
                RecipientTable => Table(data),
                _ => null,
            };
            if (problem is { Length: > 0 })
            {
                return problem;
            }

            offset = dataStart + length + 2;
        }

        return null;
    }

    private static string? Table(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            return null;
        }

        var rows = BinaryPrimitives.ReadInt32LittleEndian(data);
        var offset = 4;
        for (var row = 0; row < rows && offset < data.Length; row++)
        {
            if (PropertyList(data.Slice(offset), out var used) is { } problem)
            {
                return problem;
            }

            offset += used;
        }

        return null;
    }

    /// <summary>
    /// A count, then that many properties; <paramref name="used"/> is how many bytes they took. Returns a reason for a
    /// length that lies, "" when the list cannot be followed further (the data ends, a count or type no reader can
    /// follow: TnefContent's walk and MimeKit's compliance status judge those), null when it was read to its end.
    /// </summary>
    private static string? PropertyList(ReadOnlySpan<byte> data, out int used)
    {
        used = data.Length;
        if (data.Length < 4)
        {
            return string.Empty;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(data);
        var reader = new Cursor(data, 4);
        for (var i = 0; i < count; i++)
        {
            if (Property(ref reader) is { } problem)
            {
                return problem;
            }
        }

        used = reader.Offset;
        return null;
    }

    private static string? Property(ref Cursor reader)
    {
        if (!reader.TryUInt16(out var type) || !reader.TryUInt16(out var id))
        {
            return string.Empty;
        }

        if (id >= 0x8000)
        {
            // A named property: GUID, kind, then a numeric id or a length-prefixed name.
            if (!reader.TrySkip(16) || !reader.TryInt32(out var kind))
            {
                return string.Empty;
            }

            if (kind == 0)
            {
                if (!reader.TrySkip(4))
                {
                    return string.Empty;
                }
            }
            else if (Variable(ref reader, "a property name") is { } nameProblem)
            {
                return nameProblem;
            }
        }

        var baseType = (ushort)(type & ~MultiValued);
        var width = FixedWidth(baseType);
        if (width == -2)
        {
            // MimeKit cannot size such a value either, and stops reading the list: so does this check.
            return string.Empty;
        }

        var values = 1;
        if ((type & MultiValued) != 0 || width == -1)
        {
            if (!reader.TryInt32(out values))
            {
                return string.Empty;
            }

            // Each value takes at least four bytes (a length or a padded fixed value). A count the bytes cannot hold
            // is TnefContent's walk to name; here it only ends the check of this list (no loop over billions).
            if (values < 0 || (long)values * Math.Max(width, 4) > reader.Remaining)
            {
                return string.Empty;
            }
        }

        for (var v = 0; v < values && width != 0; v++)
        {
            if (width > 0)
            {
                if (!reader.TrySkip(width))
                {
                    return string.Empty;
                }
            }
            else if (Variable(ref reader, "a property value") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>A length, then that many bytes padded to four: "" when the data ends first, a reason when it lies.</summary>
    private static string? Variable(ref Cursor reader, string what)
    {
        if (!reader.TryInt32(out var length))
        {
            return string.Empty;
        }

        if (length < 0 || length > reader.Remaining)
        {
            return $"{what} of {(uint)length} bytes where {reader.Remaining} remain";
        }

        reader.TrySkip(Math.Min(reader.Remaining, (length + 3) & ~3));
        return null;
    }

    /// <summary>Bytes of one fixed-size value (2-byte types are padded to 4), -1 for variable length, -2 unknown.</summary>
    private static int FixedWidth(ushort type) => type switch
    {
        0x0000 or 0x0001 => 0, // PT_UNSPECIFIED, PT_NULL
        0x0002 or 0x0003 or 0x0004 or 0x000A or 0x000B => 4, // I2, LONG, R4, ERROR, BOOLEAN
        0x0005 or 0x0006 or 0x0007 or 0x0014 or 0x0040 => 8, // DOUBLE, CURRENCY, APPTIME, I8, SYSTIME
        0x0048 => 16, // CLSID
        0x000D or 0x001E or 0x001F or 0x0102 => -1, // OBJECT, STRING8, UNICODE, BINARY
        _ => -2,
    };

    /// <summary>A forward position in one attribute's bytes.</summary>
    private ref struct Cursor
    {
        private readonly ReadOnlySpan<byte> _data;

        public Cursor(ReadOnlySpan<byte> data, int offset)
        {
            _data = data;
            Offset = offset;
        }

        public int Offset { get; private set; }

        public int Remaining => _data.Length - Offset;

        public bool TryUInt16(out ushort value)
        {
            value = 0;
            if (Remaining < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(Offset));
            Offset += 2;
            return true;
        }

        public bool TryInt32(out int value)
        {
            value = 0;
            if (Remaining < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32LittleEndian(_data.Slice(Offset));
            Offset += 4;
            return true;
        }

        public bool TrySkip(int count)
        {
            if (Remaining < count)
            {
                return false;
            }

            Offset += count;
            return true;
        }
    }
}
