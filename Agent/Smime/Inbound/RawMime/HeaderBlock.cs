using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Smime.Inbound.RawMime;

/// <summary>
/// The header fields of one MIME entity or message, read raw up to the empty line that ends them (RFC 5322 §2.1,
/// RFC 2045 §3). Bounded: a header block larger than <see cref="MaximumSize"/> is refused.
/// </summary>
internal sealed class HeaderBlock
{
    /// <summary>1 MiB; Exchange's own default limit for a header block is 256 KB.</summary>
    public const int MaximumSize = 1024 * 1024;

    private HeaderBlock(IReadOnlyList<HeaderField> fields, long bodyOffset)
    {
        Fields = fields;
        BodyOffset = bodyOffset;
    }

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<HeaderField> Fields { get; }

    /// <summary>Absolute offset of the first body byte (after the empty line), or the entity end when there is none.</summary>
    public long BodyOffset { get; }

    /// <summary>The first field called <paramref name="name"/>, if any.</summary>
    public HeaderField? Find(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Is(name))
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>Reads the header block of the entity at [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">The header block exceeds <see cref="MaximumSize"/>.</exception>
    public static HeaderBlock Read(Stream source, long start, long end)
    {
        var bytes = new List<byte>(4096);
        var chunk = new byte[8192];
        var lineStart = 0;
        var scanned = 0;
        long position = start;
        source.Position = start;
        while (true)
        {
            // Look for a line that is empty: "\n" or "\r\n" right at a line start.
            for (; scanned < bytes.Count; scanned++)
            {
                if (bytes[scanned] != (byte)'\n')
                {
                    continue;
                }

                var lineLength = scanned - lineStart + 1;
                if (lineLength == 1 || (lineLength == 2 && bytes[lineStart] == (byte)'\r'))
                {
                    return new HeaderBlock(SplitFields(bytes, lineStart), start + scanned + 1);
                }

                lineStart = scanned + 1;
            }

            if (position >= end)
            {
                // No empty line: everything is header, the body is empty.
                return new HeaderBlock(SplitFields(bytes, bytes.Count), end);
            }

            if (bytes.Count > MaximumSize)
            {
                throw new InvalidDataException("header block larger than " + MaximumSize + " bytes");
            }

            var read = source.Read(chunk, 0, (int)Math.Min(chunk.Length, end - position));
            if (read <= 0)
            {
                return new HeaderBlock(SplitFields(bytes, bytes.Count), position);
            }

            position += read;
            for (var i = 0; i < read; i++)
            {
                bytes.Add(chunk[i]);
            }
        }
    }

    /// <summary>Splits bytes [0, length) into fields; a line starting with space or tab continues the previous field.</summary>
    private static List<HeaderField> SplitFields(List<byte> bytes, int length)
    {
        var fields = new List<HeaderField>();
        var fieldStart = 0;
        var i = 0;
        while (fieldStart < length)
        {
            // Find the end of this field: the line break not followed by a folding white space.
            i = fieldStart;
            while (i < length)
            {
                if (bytes[i] == (byte)'\n' && (i + 1 >= length || (bytes[i + 1] != (byte)' ' && bytes[i + 1] != (byte)'\t')))
                {
                    i++;
                    break;
                }

                i++;
            }

            var raw = bytes.GetRange(fieldStart, i - fieldStart).ToArray();
            var colon = Array.IndexOf(raw, (byte)':');
            var lineEnd = Array.IndexOf(raw, (byte)'\n');
            if (colon > 0 && (lineEnd < 0 || colon < lineEnd))
            {
                var name = Encoding.ASCII.GetString(raw, 0, colon).TrimEnd(' ', '\t');
                fields.Add(new HeaderField(name, raw, colon + 1));
            }
            else
            {
                fields.Add(new HeaderField(string.Empty, raw, raw.Length));
            }

            fieldStart = i;
        }

        return fields;
    }
}
