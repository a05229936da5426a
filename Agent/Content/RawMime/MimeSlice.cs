using System;
using System.IO;
using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// One MIME entity (or a whole message) as a byte range of a seekable stream: its raw header block and the range of
/// its body. Nothing is copied; bodies are read through views, so memory stays flat in message size.
/// </summary>
internal sealed class MimeSlice
{
    private static readonly ContentType DefaultContentType = new("text", "plain");
    private ContentType? _contentType;

    private MimeSlice(Stream source, long start, long end, RawHeaderBlock headers)
    {
        Source = source;
        Start = start;
        End = end;
        Headers = headers;
    }

    public Stream Source { get; }

    public long Start { get; }

    public long End { get; }

    public RawHeaderBlock Headers { get; }

    public long BodyStart => Headers.BodyOffset;

    public long BodyLength => End - BodyStart;

    /// <summary>The Content-Type, or text/plain when absent or unparseable (RFC 2045 §5.2).</summary>
    public ContentType ContentType => _contentType ??= ParseContentType();

    /// <summary>Content-Transfer-Encoding in lower case; "7bit" when absent (RFC 2045 §6.1).</summary>
    public string TransferEncoding
    {
        get
        {
            var value = Headers.Find("Content-Transfer-Encoding")?.Value;
#pragma warning disable CA1308 // Encoding tokens are compared in lower case, as MIME writes them.
            return string.IsNullOrEmpty(value) ? "7bit" : value!.ToLowerInvariant();
#pragma warning restore CA1308
        }
    }

    /// <summary>Reads the entity at [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="source"/>.</summary>
    /// <exception cref="MessageHeaderTooLargeException">Its header block exceeds <see cref="RawHeaderBlock.MaxBytes"/>.</exception>
    public static MimeSlice Read(Stream source, long start, long end) => new(source, start, end, RawHeaderBlock.Read(source, start, end));

    /// <summary>The whole seekable stream as one entity (a message, or a decrypted layer in a temporary file).</summary>
    public static MimeSlice ReadAll(Stream source) => Read(source, 0, source.Length);

    /// <summary>The raw body bytes.</summary>
    public Stream OpenBody() => new SliceStream(Source, BodyStart, End);

    /// <summary>The raw entity bytes, header block included.</summary>
    public Stream OpenEntity() => new SliceStream(Source, Start, End);

    /// <summary>The body with its transfer encoding (base64, quoted-printable) undone, decoded as it is read.</summary>
    public Stream OpenDecodedBody()
    {
        var filtered = new FilteredStream(OpenBody());
        filtered.Add(DecoderFilter.Create(TransferEncoding));
        return filtered;
    }

    /// <summary>An upper bound of the decoded body length (base64 shrinks by a quarter, the rest never grows).</summary>
    public long DecodedLengthBound => string.Equals(TransferEncoding, "base64", StringComparison.Ordinal) ? (BodyLength * 3 / 4) + 3 : BodyLength;

    private ContentType ParseContentType()
    {
        var field = Headers.Find("Content-Type");
        if (field is not null && ContentType.TryParse(ParserOptions.Default, field.UnfoldedBytes, out var parsed))
        {
            return parsed;
        }

        return DefaultContentType;
    }
}
