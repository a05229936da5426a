using System;
using System.IO;
using System.Text;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Decodes a MIME text part to a string, reading at most a given number of decoded bytes. The declared charset is
/// used when .NET knows it (every Windows code page and the ISO/KOI8/CJK sets); otherwise UTF-8 when the bytes are
/// valid UTF-8, else ISO-8859-1, which never fails. Never throws on content.
/// </summary>
internal static class TextDecoding
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

    static TextDecoding()
    {
        CodePages.EnsureRegistered();
    }

    /// <summary>The decoded text of <paramref name="part"/>, or empty when the content cannot be read.</summary>
    public static string Decode(MimePart part, long maxBytes, out bool truncated)
    {
        truncated = false;
        if (part.Content is null || maxBytes <= 0)
        {
            return string.Empty;
        }

        byte[] bytes;
        int count;
        try
        {
            // The encoded size bounds the decoded size (base64 and quoted-printable only shrink): a good first buffer.
            var encoded = part.Content.Stream;
            var sizeHint = encoded is { CanSeek: true } ? encoded.Length : 64 * 1024;
            using var decoded = part.Content.Open();
            (bytes, count, truncated) = ReadBounded(decoded, maxBytes, sizeHint);
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or ObjectDisposedException or NotSupportedException)
        {
            return string.Empty;
        }

        return GetString(bytes, count, part.ContentType.Charset, truncated);
    }

    internal static string GetString(byte[] bytes, int count, string? charset, bool truncated = false)
    {
        var encoding = Lookup(charset);
        if (encoding is not null)
        {
            return encoding.GetString(bytes, 0, count);
        }

        try
        {
            if (!truncated)
            {
                return StrictUtf8.GetString(bytes, 0, count);
            }

            // flush: false so that a multi-byte character cut by the scan limit is not taken for invalid UTF-8.
            var decoder = StrictUtf8.GetDecoder();
            var chars = new char[StrictUtf8.GetMaxCharCount(count)];
            var written = decoder.GetChars(bytes, 0, count, chars, 0, flush: false);
            return new string(chars, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return Latin1.GetString(bytes, 0, count);
        }
    }

    private static Encoding? Lookup(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        try
        {
            var encoding = Encoding.GetEncoding(charset!.Trim().Trim('"'));

            // UTF-7 can smuggle markup past filters and is obsolete for mail; read it as unknown.
            return encoding.CodePage == 65000 ? null : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    internal static (byte[] Bytes, int Count, bool Truncated) ReadBounded(Stream stream, long maxBytes, long sizeHint)
    {
        var limit = (int)Math.Min(maxBytes, int.MaxValue - 64);
        var buffer = new byte[(int)Math.Max(1, Math.Min(limit, sizeHint))];
        var count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                if (count >= limit)
                {
                    break;
                }

                // Full but not at the limit: grow only if there is more to read.
                var next = stream.ReadByte();
                if (next < 0)
                {
                    return (buffer, count, false);
                }

                Array.Resize(ref buffer, (int)Math.Min(Math.Max((long)buffer.Length * 2, 1024), limit));
                buffer[count++] = (byte)next;
                continue;
            }

            var read = stream.Read(buffer, count, buffer.Length - count);
            if (read <= 0)
            {
                return (buffer, count, false);
            }

            count += read;
        }

        // At the limit: one more byte tells whether anything was cut off.
        var probe = new byte[1];
        return (buffer, count, stream.Read(probe, 0, 1) > 0);
    }
}
