using System;
using System.Text;
#if NET
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
#endif

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The line rules of <see cref="SevenBitCleanEntity"/> on whole lines: every byte 7-bit and not NUL, every line ending
/// in CRLF with no other CR or LF, at most 998 octets before the CRLF (RFC 5322 §2.1.1), no trailing space or tab, no
/// line beginning "From ", and a Content-Transfer-Encoding line only with a value a relay leaves alone. On .NET the
/// body of a large message is checked 32 bytes at a time (a 100 MB base64 attachment is 1.4 million lines, and a
/// search for the end of each one cost more than the hashing); the line-by-line check is the reference, and the
/// only one on .NET Framework.
/// </summary>
internal static class SevenBitLines
{
    /// <summary>The longest line a relay must pass unchanged, without its CRLF (RFC 5322 §2.1.1).</summary>
    public const int MaximumLineLength = 998;

    private static readonly byte[] FromPrefix = Encoding.ASCII.GetBytes("From ");
    private static readonly byte[] EncodingFieldPrefix = Encoding.ASCII.GetBytes("Content-Transfer-Encoding:");
    private static readonly string[] SafeEncodings = { "7bit", "quoted-printable", "base64" };

    /// <summary>True when <paramref name="lines"/> (whole lines, each with its line ending, or empty) are all clean.</summary>
    public static bool AreClean(ReadOnlySpan<byte> lines)
    {
#if NET
        if (Vector256.IsHardwareAccelerated && lines.Length > 2 * Vector256<byte>.Count)
        {
            return AreCleanVectorized(lines);
        }
#endif
        return AreCleanByLine(lines);
    }

    /// <summary>The reference: line by line. <paramref name="lines"/> must end with a line feed or be empty.</summary>
    internal static bool AreCleanByLine(ReadOnlySpan<byte> lines)
    {
        if (!IsSevenBit(lines))
        {
            return false;
        }

        int end;
        while ((end = lines.IndexOf((byte)'\n')) >= 0)
        {
            // IsSevenBit above covered every byte: per line only the rest of the rules.
            if (end == 0 || lines[end - 1] != (byte)'\r' || !IsCleanSevenBitLine(lines.Slice(0, end - 1)))
            {
                return false;
            }

            lines = lines.Slice(end + 1);
        }

        return lines.Length == 0;
    }

    /// <summary>One line without its CRLF: also the last line of a body that does not end with a line break.</summary>
    public static bool IsCleanLine(ReadOnlySpan<byte> line)
        => IsSevenBit(line) && line.IndexOf((byte)'\n') < 0 && IsCleanSevenBitLine(line);

    /// <summary>One line without its line ending whose bytes are known to be 7-bit and without a line feed.</summary>
    private static bool IsCleanSevenBitLine(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaximumLineLength || line.IndexOf((byte)'\r') >= 0)
        {
            return false;
        }

        if (line.Length > 0 && line[line.Length - 1] is (byte)' ' or (byte)'\t')
        {
            return false;
        }

        return IsCleanStart(line);
    }

    public static bool IsSevenBit(ReadOnlySpan<byte> bytes)
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

    /// <summary>The rules on how a line begins: not "From " (mbox escaping), not an unsafe Content-Transfer-Encoding.</summary>
    private static bool IsCleanStart(ReadOnlySpan<byte> line)
        => !line.StartsWith(FromPrefix)
            && (!StartsWithIgnoringCase(line, EncodingFieldPrefix) || IsSafeEncoding(line.Slice(EncodingFieldPrefix.Length)));

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

#if NET
    /// <summary>
    /// The same rules, 32 bytes at a time, each byte compared with the one after it: a CR exactly where the next byte
    /// is an LF (no bare CR, no bare LF), no space or tab before a CR, no byte outside 1–127. Line lengths follow from
    /// the positions of the line feeds; only lines that begin with 'F', 'C' or 'c' are looked at one by one for their
    /// beginning. The unfinished tail (fewer than 33 bytes after the last full block) goes through the reference.
    /// Optimised from its first call: unoptimised (tier-0) code calls every vector operation instead of inlining it,
    /// and a single large message would run most of its blocks through that code before tiering caught up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool AreCleanVectorized(ReadOnlySpan<byte> lines)
    {
        var width = Vector256<byte>.Count;
        if (lines.Length <= width || lines[0] == (byte)'\n' || !IsCleanStart(FirstLine(lines)))
        {
            return AreCleanByLine(lines);
        }

        var lf = Vector256.Create((byte)'\n');
        var cr = Vector256.Create((byte)'\r');
        var space = Vector256.Create((byte)' ');
        var tab = Vector256.Create((byte)'\t');
        var nul = Vector256<byte>.Zero;
        var upperF = Vector256.Create((byte)'F');
        var lowerC = Vector256.Create((byte)'c');
        var caseBit = Vector256.Create((byte)0x20);

        var lineStart = 0;
        var i = 0;
        for (; i + width + 1 <= lines.Length; i += width)
        {
            var here = Vector256.Create(lines.Slice(i, width));
            var next = Vector256.Create(lines.Slice(i + 1, width));
            var isCr = Vector256.Equals(here, cr);
            var nextIsLf = Vector256.Equals(next, lf);
            var blankBeforeCr = (Vector256.Equals(here, space) | Vector256.Equals(here, tab)) & Vector256.Equals(next, cr);
            // The high bit of any byte of 0x80 and above is the sign bit: ExtractMostSignificantBits finds them all.
            var bad = (isCr ^ nextIsLf) | blankBeforeCr | Vector256.Equals(here, nul);
            if (bad != Vector256<byte>.Zero || here.ExtractMostSignificantBits() != 0)
            {
                return false;
            }

            var isLf = Vector256.Equals(here, lf);
            var feeds = isLf.ExtractMostSignificantBits();
            if (feeds == 0)
            {
                // The line goes on: its length is checked at its line feed, or with the tail.
                continue;
            }

            // The first line feed ends the line that started before this block: its CR and content at most 999 bytes.
            if (i + BitOperations.TrailingZeroCount(feeds) - lineStart > MaximumLineLength + 1)
            {
                return false;
            }

            lineStart = i + width - BitOperations.LeadingZeroCount(feeds);
            var suspectStarts = (isLf & (Vector256.Equals(next, upperF) | Vector256.Equals(next | caseBit, lowerC))).ExtractMostSignificantBits();
            while (suspectStarts != 0)
            {
                var start = i + BitOperations.TrailingZeroCount(suspectStarts) + 1;
                if (!IsCleanStart(FirstLine(lines.Slice(start))))
                {
                    return false;
                }

                suspectStarts &= suspectStarts - 1;
            }
        }

        // Everything before lineStart is checked; the line that starts there is checked again as a whole.
        return AreCleanByLine(lines.Slice(lineStart));
    }

    /// <summary>The first line of <paramref name="lines"/> without its line ending.</summary>
    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> lines)
    {
        var end = lines.IndexOf((byte)'\n');
        var line = end < 0 ? lines : lines.Slice(0, end);
        return line.Length > 0 && line[line.Length - 1] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
    }
#endif
}
