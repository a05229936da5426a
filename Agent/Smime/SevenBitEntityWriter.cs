using System.IO;
using System.Linq;
using System.Threading;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes the body entity of a message prepared for a clear signature: every 8bit or binary part re-encoded to
/// quoted-printable or base64 (RFC 8551 §3.1.3: multipart/signed over SMTP MUST be 7-bit, so no relay has a reason
/// to re-encode and break it), CRLF line endings (RFC 8551 §3.1.1), "From " armoured and trailing whitespace
/// removed (RFC 3156 §3, §5.4), as MimeKit's MultipartSigned does. The parser is persistent over the seekable
/// source, so part contents are read from the source as they are written, not loaded into memory.
/// </summary>
internal static class SevenBitEntityWriter
{
    private const int MaximumLineLength = 78;

    public static void Write(Stream source, Stream output, CancellationToken cancellationToken)
    {
        source.Position = 0;
        var parser = new MimeParser(source, MimeFormat.Default, persistent: true);
        using var message = parser.ParseMessage(cancellationToken);
        var entity = message.Body ?? new TextPart("plain");
        entity.Prepare(EncodingConstraint.SevenBit, MaximumLineLength);

        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using (var filtered = new FilteredStream(output))
        {
            // Armouring and whitespace trimming would change the bytes of a nested signature or envelope; those
            // parts are already 7-bit base64/CRLF by their own rules, so they are left exactly as they are.
            if (!ContainsProtectedPart(entity))
            {
                filtered.Add(new ArmoredFromFilter());
                filtered.Add(new TrailingWhitespaceFilter());
            }

            filtered.Add(new Unix2DosFilter());
            entity.WriteTo(options, filtered, cancellationToken);
            filtered.Flush(cancellationToken);
        }

        output.Flush();
    }

    private static bool ContainsProtectedPart(MimeEntity entity) => entity switch
    {
        MultipartSigned => true,
        ApplicationPkcs7Mime => true,
        Multipart multipart => multipart.Any(ContainsProtectedPart),
        MessagePart { Message.Body: { } body } => ContainsProtectedPart(body),
        _ => false,
    };
}
