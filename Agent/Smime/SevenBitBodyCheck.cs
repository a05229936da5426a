using System;
using System.Buffers;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Checks a body against the line rules of <see cref="SevenBitLines"/> as it streams past, in pieces of any size: the
/// whole lines of each piece at once, the unfinished last line kept (at most one line's worth: anything longer is
/// already too long) until the next piece completes it. So the check can ride along with the copy that signs the
/// body, instead of reading it once more before.
/// </summary>
internal sealed class SevenBitBodyCheck : IDisposable
{
    /// <summary>The longest clean line with its CRLF.</summary>
    private const int LongestLine = SevenBitLines.MaximumLineLength + 2;

    private byte[]? _unfinished = ArrayPool<byte>.Shared.Rent(LongestLine);
    private int _kept;

    /// <summary>False from the first byte that breaks a rule on.</summary>
    public bool IsClean { get; private set; } = true;

    /// <summary>Checks the next <paramref name="bytes"/> of the body; returns <see cref="IsClean"/>.</summary>
    public bool Append(ReadOnlySpan<byte> bytes)
    {
        var unfinished = _unfinished ?? throw new ObjectDisposedException(nameof(SevenBitBodyCheck));
        if (!IsClean)
        {
            return false;
        }

        if (_kept > 0)
        {
            var end = bytes.IndexOf((byte)'\n');
            var take = end < 0 ? bytes.Length : end + 1;
            if (_kept + take > LongestLine)
            {
                return Fail();
            }

            bytes.Slice(0, take).CopyTo(unfinished.AsSpan(_kept));
            _kept += take;
            if (end < 0)
            {
                return true;
            }

            var line = new ReadOnlySpan<byte>(unfinished, 0, _kept);
            _kept = 0;
            if (!SevenBitLines.AreClean(line))
            {
                return Fail();
            }

            bytes = bytes.Slice(take);
        }

        var complete = bytes.LastIndexOf((byte)'\n') + 1;
        var rest = bytes.Slice(complete);
        if (rest.Length > LongestLine || !SevenBitLines.AreClean(bytes.Slice(0, complete)))
        {
            return Fail();
        }

        rest.CopyTo(unfinished);
        _kept = rest.Length;
        return true;
    }

    /// <summary>
    /// The end of the body: a last line without a line break is signed as it is (the delimiter's CRLF follows), so it
    /// must be clean too. Returns <see cref="IsClean"/>.
    /// </summary>
    public bool Complete()
    {
        var unfinished = _unfinished ?? throw new ObjectDisposedException(nameof(SevenBitBodyCheck));
        if (IsClean && _kept > 0 && !SevenBitLines.IsCleanLine(new ReadOnlySpan<byte>(unfinished, 0, _kept)))
        {
            return Fail();
        }

        return IsClean;
    }

    /// <summary>Gives the line buffer back to the pool, cleared: it held message text.</summary>
    public void Dispose()
    {
        if (_unfinished is { } unfinished)
        {
            _unfinished = null;
            Array.Clear(unfinished, 0, LongestLine);
            ArrayPool<byte>.Shared.Return(unfinished);
        }
    }

    private bool Fail()
    {
        IsClean = false;
        _kept = 0;
        return false;
    }
}
