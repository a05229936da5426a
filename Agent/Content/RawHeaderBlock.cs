using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// One header field exactly as it appeared: name, colon, value, folded continuation lines and its line ending.
/// Rewriting a message through a MIME library would re-serialise it; transforms that must keep bytes intact
/// (an already-signed body, the entity inside an envelope) edit the top-level header block at this level instead.
/// </summary>
internal sealed class RawHeaderField
{
    public RawHeaderField(string name, byte[] raw)
    {
        Name = name;
        Raw = raw;
    }

    /// <summary>The field name as written (compare case-insensitively).</summary>
    public string Name { get; }

    /// <summary>The whole field including its terminating line ending.</summary>
    public byte[] Raw { get; }

    /// <summary>The value after the colon with folding removed (RFC 5322 §2.2.3), decoded as UTF-8 (Latin-1 when invalid).</summary>
    public string UnfoldedValue
    {
        get
        {
            var colon = Array.IndexOf(Raw, (byte)':');
            var value = DecodeLenient(Raw, colon + 1, Raw.Length - colon - 1);
            return value.Replace("\r\n", string.Empty).Replace("\n", string.Empty).Trim();
        }
    }

    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True for the fields that describe the body entity (RFC 2045 §9: every "Content-*" field); they move inside the
    /// envelope (or are replaced) when the body is wrapped.
    /// </summary>
    public bool IsEntityField => Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 2045 §4.</summary>
    public bool IsMimeVersion => Is("MIME-Version");

    /// <summary>The field bytes with every line ending written as CRLF (RFC 5322 §2.3), for headers we emit.</summary>
    public byte[] WithCrlf()
    {
        var bareLf = false;
        for (var i = 0; i < Raw.Length && !bareLf; i++)
        {
            bareLf = Raw[i] == (byte)'\n' && (i == 0 || Raw[i - 1] != (byte)'\r');
        }

        var terminated = Raw.Length > 0 && Raw[Raw.Length - 1] == (byte)'\n';
        if (!bareLf && terminated)
        {
            return Raw;
        }

        var fixedBytes = new List<byte>(Raw.Length + 8);
        for (var i = 0; i < Raw.Length; i++)
        {
            if (Raw[i] == (byte)'\n' && (i == 0 || Raw[i - 1] != (byte)'\r'))
            {
                fixedBytes.Add((byte)'\r');
            }

            fixedBytes.Add(Raw[i]);
        }

        if (!terminated)
        {
            fixedBytes.Add((byte)'\r');
            fixedBytes.Add((byte)'\n');
        }

        return fixedBytes.ToArray();
    }

    /// <summary>Builds a field "Name: value" with the given line ending; the value must be ASCII (encode first).</summary>
    public static RawHeaderField Create(string name, string value, string lineEnding)
        => new(name, Encoding.ASCII.GetBytes(name + ": " + value + lineEnding));

    private static string DecodeLenient(byte[] bytes, int offset, int count)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, offset, count);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("ISO-8859-1").GetString(bytes, offset, count);
        }
    }
}

/// <summary>
/// The top-level header block of an RFC 5322 message, read byte for byte, and where the body starts.
/// Ends at the first empty line, or (as MIME parsers do) at the first line that is neither a field nor a
/// continuation, which then belongs to the body.
/// </summary>
internal sealed class RawHeaderBlock
{
    /// <summary>
    /// Header blocks larger than this are refused (an 8 MB header line and 100,000 headers still fit): memory must not
    /// grow with what a sender puts in a message.
    /// </summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    private RawHeaderBlock(IReadOnlyList<RawHeaderField> fields, string lineEnding, byte[] separator, long bodyOffset)
    {
        Fields = fields;
        LineEnding = lineEnding;
        Separator = separator;
        BodyOffset = bodyOffset;
    }

    public IReadOnlyList<RawHeaderField> Fields { get; }

    /// <summary>"\r\n" unless the message uses bare LF; new fields are written with the same ending.</summary>
    public string LineEnding { get; }

    /// <summary>The empty line between headers and body as written; <see cref="LineEnding"/> when the message had none.</summary>
    public byte[] Separator { get; }

    /// <summary>Offset of the first body byte in the source.</summary>
    public long BodyOffset { get; }

    /// <summary>
    /// Reads the header block from the current position of <paramref name="source"/> (seekable) and leaves it at the
    /// body. Throws <see cref="MessageHeaderTooLargeException"/> beyond <paramref name="maxBytes"/>.
    /// </summary>
    public static RawHeaderBlock Read(Stream source, long maxBytes = DefaultMaxBytes)
    {
        var start = Guard.NotNull(source).Position;
        var reader = new LineReader(source);
        var fields = new List<RawHeaderField>();
        var current = new MemoryStream();
        string? currentName = null;
        var sawCrLf = false;
        var sawLf = false;
        var separator = Array.Empty<byte>();
        long consumed = 0;

        while (true)
        {
            var lineStart = consumed;
            var line = reader.ReadLine();
            if (line is null)
            {
                break;
            }

            consumed += line.Length;
            if (consumed > maxBytes)
            {
                throw new MessageHeaderTooLargeException(maxBytes);
            }

            var content = HeaderLineSyntax.ContentLength(line, line.Length);
            if (line.Length > content)
            {
                if (line.Length - content == 2)
                {
                    sawCrLf = true;
                }
                else
                {
                    sawLf = true;
                }
            }

            if (content == 0)
            {
                separator = line;
                break;
            }

            if ((line[0] == (byte)' ' || line[0] == (byte)'\t') && currentName is not null)
            {
                current.Write(line, 0, line.Length);
                continue;
            }

            var colon = HeaderLineSyntax.FieldNameEnd(line, content);
            if (colon < 0)
            {
                // Not a header: the body starts here (no separator line).
                consumed = lineStart;
                break;
            }

            Flush(fields, ref currentName, current);
            currentName = Encoding.ASCII.GetString(line, 0, colon).TrimEnd(' ', '\t');
            current.Write(line, 0, line.Length);
        }

        Flush(fields, ref currentName, current);
        source.Position = start + consumed;
        var lineEnding = sawLf && !sawCrLf ? "\n" : "\r\n";
        return new RawHeaderBlock(fields, lineEnding, separator.Length > 0 ? separator : Encoding.ASCII.GetBytes(lineEnding), start + consumed);
    }

    /// <summary>Writes <paramref name="fields"/>, the separator (CRLF when the original had none) and the body copied from the source.</summary>
    public void WriteMessage(Stream source, IEnumerable<RawHeaderField> fields, Stream destination)
    {
        foreach (var field in fields)
        {
            destination.Write(field.Raw, 0, field.Raw.Length);
        }

        destination.Write(Separator, 0, Separator.Length);
        source.Position = BodyOffset;
        source.CopyTo(destination, 81920);
    }

    private static void Flush(List<RawHeaderField> fields, ref string? name, MemoryStream current)
    {
        if (name is not null)
        {
            fields.Add(new RawHeaderField(name, current.ToArray()));
        }

        name = null;
        current.SetLength(0);
    }

    /// <summary>Reads lines including their terminators, buffering the source.</summary>
    private sealed class LineReader
    {
        private readonly Stream _source;
        private readonly byte[] _buffer = new byte[16384];
        private int _offset;
        private int _count;

        public LineReader(Stream source) => _source = source;

        public byte[]? ReadLine()
        {
            MemoryStream? line = null;
            while (true)
            {
                if (_offset == _count)
                {
                    _count = _source.Read(_buffer, 0, _buffer.Length);
                    _offset = 0;
                    if (_count == 0)
                    {
                        return line?.ToArray();
                    }
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _offset, _count - _offset);
                var end = newline < 0 ? _count : newline + 1;
                line ??= new MemoryStream();
                line.Write(_buffer, _offset, end - _offset);
                _offset = end;
                if (newline >= 0)
                {
                    return line.ToArray();
                }
            }
        }
    }
}

/// <summary>The header block exceeded the size limit (an IOException: the message cannot be read as a message).</summary>
internal sealed class MessageHeaderTooLargeException : IOException
{
    public MessageHeaderTooLargeException(long limit)
        : base($"The message header block is larger than {limit} bytes.")
    {
    }
}
