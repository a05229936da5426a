using System;
using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// Reads the lines of a header block with their terminators from a range of a stream, into one buffer reused from
/// line to line. The size limit is checked while reading, byte count by byte count, so a header line of a gigabyte
/// without a line break costs no more than the limit.
/// </summary>
internal sealed class HeaderLineReader
{
    /// <summary>
    /// The first read: a real header block fits in it. Reading 64 KiB at once read the whole of a small message (and
    /// allocated and cleared the buffer) for every header block the pipeline reads: 6 % of a 10 KB message's time.
    /// </summary>
    private const int FirstReadSize = 4 * 1024;

    /// <summary>Reads double from one to the next up to this, so a large block or body still moves in large reads.</summary>
    private const int MaxReadSize = 64 * 1024;

    private readonly Stream _source;
    private readonly long _maxBytes;
    private byte[] _buffer;
    private long _remaining;
    private byte[] _line = new byte[1024];
    private int _offset;
    private int _count;

    /// <summary>Reads from the current position of <paramref name="source"/>, at most <paramref name="length"/> bytes.</summary>
    public HeaderLineReader(Stream source, long length, long maxBytes)
    {
        _source = source;
        _remaining = length;
        _maxBytes = maxBytes;
        _buffer = new byte[(int)Math.Max(1, Math.Min(FirstReadSize, length))];
    }

    /// <summary>Bytes of the lines returned so far.</summary>
    public long Consumed { get; private set; }

    /// <summary>The current line (valid until the next call); its length is what <see cref="ReadLine"/> returned.</summary>
    public byte[] Line => _line;

    /// <summary>Reads the next line into <see cref="Line"/> and returns its length with terminator; 0 at the end.</summary>
    /// <exception cref="MessageHeaderTooLargeException">The lines read so far exceed the limit.</exception>
    public int ReadLine()
    {
        var length = 0;
        while (true)
        {
            if (_offset == _count && !Fill())
            {
                return length;
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _offset, _count - _offset);
            var end = newline < 0 ? _count : newline + 1;
            var take = end - _offset;
            Consumed += take;
            if (Consumed > _maxBytes)
            {
                throw new MessageHeaderTooLargeException(_maxBytes);
            }

            if (length + take > _line.Length)
            {
                Array.Resize(ref _line, Math.Max(_line.Length * 2, length + take));
            }

            Buffer.BlockCopy(_buffer, _offset, _line, length, take);
            length += take;
            _offset = end;
            if (newline >= 0)
            {
                return length;
            }
        }
    }

    /// <summary>Copies what follows the last line read, to the end of the range.</summary>
    public void CopyRest(Stream destination, CancellationToken cancellationToken)
    {
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            destination.Write(_buffer, _offset, _count - _offset);
            _offset = _count;
        }
        while (Fill());
    }

    private bool Fill()
    {
        if (_count == _buffer.Length && _buffer.Length < MaxReadSize && _remaining > _buffer.Length)
        {
            // The last read filled the buffer: more is coming, read it in larger steps.
            _buffer = new byte[(int)Math.Min(MaxReadSize, Math.Min(_buffer.Length * 2L, _remaining))];
        }

        var read = _remaining <= 0 ? 0 : _source.Read(_buffer, 0, (int)Math.Min(_buffer.Length, _remaining));
        _remaining -= read;
        _offset = 0;
        _count = Math.Max(read, 0);
        return read > 0;
    }
}
