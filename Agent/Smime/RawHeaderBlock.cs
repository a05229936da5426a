using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>One header field exactly as it was read: name, and every byte of the field including folded lines.</summary>
internal sealed class RawHeaderField
{
    public RawHeaderField(string name, byte[] raw)
    {
        Name = name;
        Raw = raw;
    }

    /// <summary>The field name without the colon; empty for a line that has no colon (kept, never interpreted).</summary>
    public string Name { get; }

    /// <summary>The field's bytes with their original line endings.</summary>
    public byte[] Raw { get; }

    /// <summary>
    /// True for the fields that describe the body entity (RFC 2045 §9: every "Content-*" field) and MIME-Version;
    /// they move inside the envelope (or are replaced) when the body is wrapped.
    /// </summary>
    public bool IsEntityField => Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 2045 §4.</summary>
    public bool IsMimeVersion => Name.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase);

    /// <summary>The field bytes with every line ending written as CRLF (RFC 5322 §2.3), for headers we emit.</summary>
    public byte[] WithCrlf()
    {
        var needsFix = false;
        for (var i = 0; i < Raw.Length; i++)
        {
            if (Raw[i] == (byte)'\n' && (i == 0 || Raw[i - 1] != (byte)'\r'))
            {
                needsFix = true;
                break;
            }
        }

        var hasTerminator = Raw.Length > 0 && Raw[Raw.Length - 1] == (byte)'\n';
        if (!needsFix && hasTerminator)
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

        if (!hasTerminator)
        {
            fixedBytes.Add((byte)'\r');
            fixedBytes.Add((byte)'\n');
        }

        return fixedBytes.ToArray();
    }
}

/// <summary>
/// The top-level header block of an RFC 5322 message, read byte for byte (never re-serialised, so nothing inside
/// the body entity changes), and where the body starts. Accepts CRLF and bare LF line endings.
/// </summary>
internal sealed class RawHeaderBlock
{
    /// <summary>Headers larger than this are refused: memory must not grow with what a sender puts in a message.</summary>
    public const int DefaultMaximumSize = 4 * 1024 * 1024;

    private static readonly byte[] Crlf = { (byte)'\r', (byte)'\n' };

    private RawHeaderBlock(IReadOnlyList<RawHeaderField> fields, byte[] separator, long bodyOffset)
    {
        Fields = fields;
        Separator = separator;
        BodyOffset = bodyOffset;
    }

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<RawHeaderField> Fields { get; }

    /// <summary>The empty line that ended the header block ("\r\n" or "\n"); CRLF when the message had no body.</summary>
    public byte[] Separator { get; }

    /// <summary>Offset of the first body byte in the source stream.</summary>
    public long BodyOffset { get; }

    /// <summary>Reads the header block from the current position of <paramref name="source"/> and leaves the stream at the body.</summary>
    public static RawHeaderBlock Read(Stream source, int maximumSize = DefaultMaximumSize)
    {
        Guard.NotNull(source);
        var start = source.Position;
        var buffer = new byte[16 * 1024];
        var line = new MemoryStream();
        var fields = new List<RawHeaderField>();
        MemoryStream? field = null;
        string? fieldName = null;
        long consumed = 0;
        byte[]? separator = null;

        void EndField()
        {
            if (field is not null)
            {
                fields.Add(new RawHeaderField(fieldName!, field.ToArray()));
                field = null;
                fieldName = null;
            }
        }

        void AddLine(byte[] bytes, int count)
        {
            var continues = count > 0 && (bytes[0] == (byte)' ' || bytes[0] == (byte)'\t');
            if (!continues || field is null)
            {
                EndField();
                field = new MemoryStream();
                fieldName = NameOf(bytes, count);
            }

            field.Write(bytes, 0, count);
        }

        while (separator is null)
        {
            var read = source.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                break;
            }

            var lineStart = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                line.Write(buffer, lineStart, i + 1 - lineStart);
                lineStart = i + 1;
                consumed += line.Length;
                if (consumed > maximumSize)
                {
                    throw new MessageHeaderTooLargeException(maximumSize);
                }

                var lineBytes = line.GetBuffer();
                var lineLength = (int)line.Length;
                line.SetLength(0);
                if (lineLength == 1 || (lineLength == 2 && lineBytes[0] == (byte)'\r'))
                {
                    separator = lineLength == 1 ? new[] { (byte)'\n' } : Crlf;
                    break;
                }

                AddLine(lineBytes, lineLength);
            }

            if (separator is null)
            {
                line.Write(buffer, lineStart, read - lineStart);
                if (consumed + line.Length > maximumSize)
                {
                    throw new MessageHeaderTooLargeException(maximumSize);
                }
            }
        }

        if (separator is null && line.Length > 0)
        {
            // The message ended inside the header block without a final newline.
            consumed += line.Length;
            AddLine(line.ToArray(), (int)line.Length);
        }

        EndField();
        var bodyOffset = start + consumed;
        source.Position = bodyOffset;
        return new RawHeaderBlock(fields, separator ?? Crlf, bodyOffset);
    }

    private static string NameOf(byte[] line, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (line[i] == (byte)':')
            {
                return Encoding.ASCII.GetString(line, 0, i).Trim();
            }
        }

        return string.Empty;
    }
}

/// <summary>The header block exceeded the size limit.</summary>
internal sealed class MessageHeaderTooLargeException : IOException
{
    public MessageHeaderTooLargeException(int limit)
        : base($"The message header block is larger than {limit} bytes.")
    {
    }
}
