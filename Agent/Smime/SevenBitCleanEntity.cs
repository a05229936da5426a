using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Decides whether the body entity of a message can be clear-signed exactly as it is, without the re-encoding of
/// <see cref="SevenBitEntityWriter"/> (a MIME parse and a spool file: most of the cost of signing a large message).
/// It can when no relay has a reason to touch a byte of it (RFC 8551 §3.1.1, §3.1.3; RFC 3156 §3, §5.4): every
/// byte 7-bit and not NUL, every line ending in CRLF with no bare CR, no line over 998 octets (RFC 5322 §2.1.1), no
/// line beginning "From " (mbox escaping), no trailing space or tab (stripped by some gateways), and no
/// Content-Transfer-Encoding other than 7bit, quoted-printable or base64 (a part labelled 8bit or binary may be
/// converted by a relay even when its bytes happen to be 7-bit). Such an entity is what the re-encoding would
/// produce anyway, apart from line lengths it would not need to shorten. The test is on bytes, not on MIME
/// structure, and errs towards re-encoding: a body line that looks like a bad field only costs the slow path.
/// </summary>
internal static class SevenBitCleanEntity
{
    private const int MaximumLineLength = 998;
    private const int BufferSize = 64 * 1024;
    private static readonly byte[] FromPrefix = Encoding.ASCII.GetBytes("From ");
    private static readonly byte[] EncodingFieldPrefix = Encoding.ASCII.GetBytes("Content-Transfer-Encoding:");
    private static readonly string[] SafeEncodings = { "7bit", "quoted-printable", "base64" };

    /// <summary>True when the entity fields of <paramref name="header"/> and the body after it can be signed as they are.</summary>
    public static bool IsClean(Stream source, RawHeaderBlock header, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Guard.NotNull(header);
        if (header.Find("Content-Type") is null || header.Separator.Length == 0)
        {
            // No Content-Type: the re-encoding writes the default text/plain explicitly; no empty line: no body.
            return false;
        }

        foreach (var field in header.Fields)
        {
            if (field.IsEntityField && !IsCleanBlock(field.Raw, field.Raw.Length))
            {
                return false;
            }
        }

        if (!IsCleanBlock(header.Separator, header.Separator.Length))
        {
            return false;
        }

        source.Position = header.BodyOffset;
        return IsCleanBody(source, cancellationToken);
    }

    /// <summary>Whole lines, each with its line ending (header fields and the separator are).</summary>
    private static bool IsCleanBlock(byte[] bytes, int count)
    {
        var lines = new ReadOnlySpan<byte>(bytes, 0, count);
        return IsSevenBit(lines) && AreCleanLines(lines, out var rest) && rest == 0;
    }

    private static bool IsCleanBody(Stream source, CancellationToken cancellationToken)
    {
        // Borrowed from the shared pool (a small message then allocates none) and cleared before it goes back.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            return IsCleanBody(source, buffer, cancellationToken);
        }
        finally
        {
            Array.Clear(buffer, 0, BufferSize);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsCleanBody(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while ((read = source.Read(buffer, filled, BufferSize - filled)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            filled += read;
            var span = new ReadOnlySpan<byte>(buffer, 0, filled);
            if (!IsSevenBit(span) || !AreCleanLines(span, out var rest) || rest > MaximumLineLength + 2)
            {
                return false;
            }

            // The unfinished last line moves to the front and is checked again with the next read.
            Buffer.BlockCopy(buffer, filled - rest, buffer, 0, rest);
            filled = rest;
        }

        // A body that does not end with a line break: its last line is signed as it is (the delimiter's CRLF follows).
        return filled == 0 || IsCleanLine(new ReadOnlySpan<byte>(buffer, 0, filled));
    }

    private static bool IsSevenBit(ReadOnlySpan<byte> bytes)
    {
#if NET
        return bytes.IndexOfAnyExceptInRange((byte)1, (byte)0x7F) < 0;
#else
        foreach (var b in bytes)
        {
            if (b is 0 or > 0x7F)
            {
                return false;
            }
        }

        return true;
#endif
    }

    /// <summary>Checks every complete line of <paramref name="bytes"/>; <paramref name="rest"/> is the length of the unfinished one.</summary>
    private static bool AreCleanLines(ReadOnlySpan<byte> bytes, out int rest)
    {
        int end;
        while ((end = bytes.IndexOf((byte)'\n')) >= 0)
        {
            if (end == 0 || bytes[end - 1] != (byte)'\r' || !IsCleanLine(bytes.Slice(0, end - 1)))
            {
                rest = 0;
                return false;
            }

            bytes = bytes.Slice(end + 1);
        }

        rest = bytes.Length;
        return true;
    }

    /// <summary>One line without its CRLF.</summary>
    private static bool IsCleanLine(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaximumLineLength || line.IndexOf((byte)'\r') >= 0 || line.StartsWith(FromPrefix))
        {
            return false;
        }

        if (line.Length > 0 && line[line.Length - 1] is (byte)' ' or (byte)'\t')
        {
            return false;
        }

        return !StartsWithIgnoringCase(line, EncodingFieldPrefix) || IsSafeEncoding(line.Slice(EncodingFieldPrefix.Length));
    }

    private static bool IsSafeEncoding(ReadOnlySpan<byte> value)
    {
        var text = Encoding.ASCII.GetString(value.ToArray()).Trim();
        return Array.Exists(SafeEncodings, e => string.Equals(e, text, StringComparison.OrdinalIgnoreCase));
    }

    private static bool StartsWithIgnoringCase(ReadOnlySpan<byte> line, byte[] prefix)
    {
        if (line.Length < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            // Letters compare case-insensitively by the 0x20 bit. A control byte that equals '-' or ':' in that bit
            // only makes a line count as the field: then its value decides, which errs towards re-encoding.
            if ((line[i] | 0x20) != (prefix[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}
