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
    private const int BufferSize = 64 * 1024;

    private readonly Stream _source;
    private readonly long _maxBytes;
    private readonly byte[] _buffer = new byte[BufferSize];
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
        var read = _remaining <= 0 ? 0 : _source.Read(_buffer, 0, (int)Math.Min(_buffer.Length, _remaining));
        _remaining -= read;
        _offset = 0;
        _count = Math.Max(read, 0);
        return read > 0;
    }
}
