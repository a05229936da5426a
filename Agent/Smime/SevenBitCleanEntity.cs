using System;
using System.Buffers;
using System.IO;
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
/// The line rules are <see cref="SevenBitLines"/>; the body can be checked before it is signed
/// (<see cref="IsClean"/>) or while it is copied (<see cref="TryCopyCleanBody"/>).
/// </summary>
internal static class SevenBitCleanEntity
{
    private const int BufferSize = 64 * 1024;

    /// <summary>True when the entity fields of <paramref name="header"/> and the body after it can be signed as they are.</summary>
    public static bool IsClean(Stream source, RawHeaderBlock header, CancellationToken cancellationToken)
        => IsCleanHeader(header) && CopyBodyWhileClean(source, header, output: null, cancellationToken);

    /// <summary>
    /// True when the entity's fields and the empty line after them are clean: its Content-* fields are whole lines
    /// under the rules, and there is a Content-Type (without one the re-encoding writes the default text/plain
    /// explicitly) and an empty line (without one there is no body).
    /// </summary>
    public static bool IsCleanHeader(RawHeaderBlock header)
    {
        Guard.NotNull(header);
        if (header.Find("Content-Type") is null || header.Separator.Length == 0)
        {
            return false;
        }

        foreach (var field in header.Fields)
        {
            if (field.IsEntityField && !SevenBitLines.AreCleanByLine(field.Raw))
            {
                return false;
            }
        }

        return SevenBitLines.AreCleanByLine(header.Separator);
    }

    /// <summary>
    /// Copies the body after <paramref name="header"/> to <paramref name="output"/> while checking it, and stops at the
    /// first block that is not clean: false then, and what was written is partial. The caller has checked the header
    /// (<see cref="IsCleanHeader"/>).
    /// </summary>
    public static bool TryCopyCleanBody(Stream source, RawHeaderBlock header, Stream output, CancellationToken cancellationToken)
        => CopyBodyWhileClean(source, Guard.NotNull(header), Guard.NotNull(output), cancellationToken);

    /// <summary>Reads the body (checked block by block, written to <paramref name="output"/> when there is one) while it is clean.</summary>
    private static bool CopyBodyWhileClean(Stream source, RawHeaderBlock header, Stream? output, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        source.Position = header.BodyOffset;
        // Borrowed from the shared pool (a small message then allocates none) and cleared before it goes back.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var used = 0;
        try
        {
            using var check = new SevenBitBodyCheck();
            int read;
            while ((read = source.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                used = Math.Max(used, read);
                if (!check.Append(new ReadOnlySpan<byte>(buffer, 0, read)))
                {
                    return false;
                }

                output?.Write(buffer, 0, read);
            }

            return check.Complete();
        }
        finally
        {
            Array.Clear(buffer, 0, used);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
