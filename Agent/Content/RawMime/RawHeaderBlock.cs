using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// The header block of a message or MIME entity, read byte for byte (RFC 5322 §2.1, RFC 2045 §3), and where its body
/// starts: the one reader of raw header blocks, outbound and inbound. Its answers follow
/// <see cref="HeaderLineSyntax"/>: the block ends at the first empty line (or the end of the range, when the body is
/// empty); lines that are not fields stay in the block as nameless fields; bare LF and CRLF both end lines.
/// </summary>
internal sealed class RawHeaderBlock
{
    /// <summary>
    /// Header blocks larger than this are refused, while they are read (an 8 MB header line and 100,000 fields still
    /// fit): memory must not grow with what a sender puts in a message. Exchange's own default is 256 KB.
    /// </summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    private RawHeaderBlock(IReadOnlyList<RawHeaderField> fields, string lineEnding, byte[] separator, long start, long bodyOffset)
    {
        Fields = fields;
        LineEnding = lineEnding;
        Separator = separator;
        Start = start;
        BodyOffset = bodyOffset;
    }

    /// <summary>The fields in order, lines that are not fields included (with an empty name); each ends with a line break.</summary>
    public IReadOnlyList<RawHeaderField> Fields { get; }

    /// <summary>"\r\n" unless the block uses bare LF only; new fields are written with the same ending.</summary>
    public string LineEnding { get; }

    /// <summary>The empty line between header and body as written; empty when the block had none.</summary>
    public byte[] Separator { get; }

    /// <summary>Offset of the first header byte in the source.</summary>
    public long Start { get; }

    /// <summary>Offset of the first body byte in the source (after the empty line; the range end when there is none).</summary>
    public long BodyOffset { get; }

    /// <summary>Offset where the fields end: the empty line, if any, starts here.</summary>
    public long FieldsEnd => BodyOffset - Separator.Length;

    /// <summary>The first field called <paramref name="name"/>, if any.</summary>
    public RawHeaderField? Find(string name)
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

    /// <summary>Reads the header block from the current position of <paramref name="source"/> (seekable) and leaves it at the body.</summary>
    /// <exception cref="MessageHeaderTooLargeException">The block exceeds <paramref name="maxBytes"/>.</exception>
    public static RawHeaderBlock Read(Stream source, long maxBytes = MaxBytes)
    {
        var start = Guard.NotNull(source).Position;
        var block = Read(source, start, source.Length, maxBytes);
        source.Position = block.BodyOffset;
        return block;
    }

    /// <summary>Reads the header block of the entity at [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="source"/>.</summary>
    /// <exception cref="MessageHeaderTooLargeException">The block exceeds <paramref name="maxBytes"/>.</exception>
    public static RawHeaderBlock Read(Stream source, long start, long end, long maxBytes = MaxBytes)
    {
        Guard.NotNull(source).Position = start;
        using var reader = new HeaderLineReader(source, end - start, maxBytes);
        var fields = new List<RawHeaderField>();
        var current = new MemoryStream();
        string? currentName = null;
        var valueOffset = 0;
        var sawCrLf = false;
        var sawLf = false;
        var separator = Array.Empty<byte>();
        int length;
        while ((length = reader.ReadLine()) > 0)
        {
            var line = reader.Line;
            var content = HeaderLineSyntax.ContentLength(line, length);
            sawCrLf |= length - content == 2;
            sawLf |= length - content == 1;
            if (content == 0 && length > 0 && line[length - 1] == (byte)'\n')
            {
                separator = new byte[length];
                Buffer.BlockCopy(line, 0, separator, 0, length);
                break;
            }

            if (HeaderLineSyntax.IsContinuation(line, length) && currentName is not null)
            {
                current.Write(line, 0, length);
                continue;
            }

            Flush(fields, currentName, valueOffset, current);
            var colon = HeaderLineSyntax.FieldNameEnd(line, content);
            currentName = colon < 0 ? string.Empty : Encoding.ASCII.GetString(line, 0, colon).TrimEnd(' ', '\t');
            valueOffset = colon < 0 ? -1 : colon + 1;
            current.Write(line, 0, length);
        }

        var lineEnding = sawLf && !sawCrLf ? "\n" : "\r\n";
        if (current.Length > 0 && current.GetBuffer()[current.Length - 1] != (byte)'\n')
        {
            // The range ended inside the last field: it gets its line break here, so a field written after it, or
            // the empty line, can never run into its value.
            current.Write(Encoding.ASCII.GetBytes(lineEnding), 0, lineEnding.Length);
        }

        Flush(fields, currentName, valueOffset, current);
        return new RawHeaderBlock(fields, lineEnding, separator, start, start + reader.Consumed);
    }

    /// <summary>Writes <paramref name="fields"/>, the separator (<see cref="LineEnding"/> when the original had none) and the body copied from the source.</summary>
    public void WriteMessage(Stream source, IEnumerable<RawHeaderField> fields, Stream destination)
    {
        foreach (var field in fields)
        {
            destination.Write(field.Raw, 0, field.Raw.Length);
        }

        var separator = Separator.Length > 0 ? Separator : Encoding.ASCII.GetBytes(LineEnding);
        destination.Write(separator, 0, separator.Length);
        source.Position = BodyOffset;
        source.CopyTo(destination, 81920);
    }

    private static void Flush(List<RawHeaderField> fields, string? name, int valueOffset, MemoryStream current)
    {
        if (name is not null)
        {
            var raw = current.ToArray();
            fields.Add(new RawHeaderField(name, raw, valueOffset < 0 ? raw.Length : valueOffset));
        }

        current.SetLength(0);
    }
}
