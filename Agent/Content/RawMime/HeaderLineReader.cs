using System;
using System.Buffers;
using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// Reads the lines of a header block with their terminators from a range of a stream, into one buffer reused from
/// line to line. The size limit is checked while reading, byte count by byte count, so a header line of a gigabyte
/// without a line break costs no more than the limit. Its buffers come from the shared pool and go back cleared on
/// <see cref="Dispose"/>: the pipeline reads several header blocks per message, and a new pair of buffers for each was
/// most of what planning a small message allocated.
/// </summary>
internal sealed class HeaderLineReader : IDisposable
{
    /// <summary>
    /// The first read: a real header block fits in it. Reading 64 KiB at once read the whole of a small message (and
    /// allocated and cleared the buffer) for every header block the pipeline reads: 6 % of a 10 KB message's time.
    /// </summary>
    private const int FirstReadSize = 4 * 1024;

    /// <summary>Reads double from one to the next up to this, so a large block or body still moves in large reads.</summary>
    private const int MaxReadSize = 64 * 1024;

    private const int FirstLineSize = 1024;

    private readonly Stream _source;
    private readonly long _maxBytes;
    private byte[] _buffer;
    private int _readSize;
    private long _remaining;
    private byte[] _line;
    private int _lineUsed;
    private int _offset;
    private int _count;
    private int _bufferUsed;

    /// <summary>Reads from the current position of <paramref name="source"/>, at most <paramref name="length"/> bytes.</summary>
    public HeaderLineReader(Stream source, long length, long maxBytes)
    {
        _source = source;
        _remaining = length;
        _maxBytes = maxBytes;
        _readSize = (int)Math.Max(1, Math.Min(FirstReadSize, length));
        _buffer = ArrayPool<byte>.Shared.Rent(_readSize);
        _line = ArrayPool<byte>.Shared.Rent(FirstLineSize);
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
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_line.Length * 2, length + take));
                Buffer.BlockCopy(_line, 0, larger, 0, length);
                Return(_line, _lineUsed);
                _line = larger;
            }

            Buffer.BlockCopy(_buffer, _offset, _line, length, take);
            length += take;
            _lineUsed = Math.Max(_lineUsed, length);
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

    /// <summary>Clears what the buffers held (message text) and gives them back to the pool.</summary>
    public void Dispose()
    {
        Return(_buffer, _bufferUsed);
        Return(_line, _lineUsed);
        _buffer = Array.Empty<byte>();
        _line = Array.Empty<byte>();
        _bufferUsed = _lineUsed = _offset = _count = 0;
        _remaining = 0;
    }

    private static void Return(byte[] buffer, int used)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        Array.Clear(buffer, 0, used);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private bool Fill()
    {
        if (_count == _readSize && _readSize < MaxReadSize && _remaining > _readSize)
        {
            // The last read filled the buffer: more is coming, read it in larger steps.
            _readSize = (int)Math.Min(MaxReadSize, Math.Min(_readSize * 2L, _remaining));
            if (_readSize > _buffer.Length)
            {
                Return(_buffer, _bufferUsed);
                _bufferUsed = 0;
                _buffer = ArrayPool<byte>.Shared.Rent(_readSize);
            }
        }

        var read = _remaining <= 0 ? 0 : _source.Read(_buffer, 0, (int)Math.Min(_readSize, _remaining));
        _remaining -= read;
        _offset = 0;
        _count = Math.Max(read, 0);
        _bufferUsed = Math.Max(_bufferUsed, _count);
        return read > 0;
    }
}
