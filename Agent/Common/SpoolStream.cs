using System;
using System.Buffers;
using System.IO;

namespace ExchangeEncryptionAgent;

/// <summary>
/// A scratch stream that holds its first bytes in memory and moves to a delete-on-close spool file the moment it would
/// grow past a small threshold. A 10 KB message then costs no file create, write, flush and unlink per pipeline step
/// (the small-message profile in docs/performance.md), while memory stays bounded by the threshold per stream whatever
/// the message size. The memory stage is a buffer from the shared pool, given back cleared: a growing memory stream per
/// pipeline step was garbage the collector paid for on every message. Readable, writable and seekable, like the file
/// it stands for.
/// </summary>
internal sealed class SpoolStream : Stream
{
    /// <summary>The first buffer; it doubles up to the threshold.</summary>
    private const int FirstBufferSize = 8 * 1024;

    private readonly Func<Stream> _createFile;
    private readonly int _threshold;
    private byte[]? _memory = Array.Empty<byte>();
    private int _length;
    private long _position;

    /// <summary>How much of <see cref="_memory"/> ever held content (cleared before it goes back to the pool).</summary>
    private int _used;
    private Stream? _file;

    /// <summary>Keeps up to <paramref name="threshold"/> bytes in memory; beyond, moves to <paramref name="createFile"/>'s file.</summary>
    public SpoolStream(int threshold, Func<Stream> createFile)
    {
        _threshold = threshold;
        _createFile = createFile;
    }

    /// <summary>Whether the content has moved to a file (tests).</summary>
    internal bool IsFile => _file is not null;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _file?.Length ?? (Memory is not null ? _length : 0);

    public override long Position
    {
        get => _file?.Position ?? (Memory is not null ? _position : 0);
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The position cannot be negative.");
            }

            if (_file is not null)
            {
                _file.Position = value;
            }
            else if (Memory is not null)
            {
                _position = value;
            }
        }
    }

    /// <summary>The memory stage while there is one; throws once the stream is disposed.</summary>
    private byte[]? Memory => _file is not null ? null : _memory ?? throw new ObjectDisposedException(nameof(SpoolStream));

    public override void Flush() => _file?.Flush();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_file is not null)
        {
            return _file.Read(buffer, offset, count);
        }

        var memory = Memory!;
        var available = (int)Math.Max(0, Math.Min(count, _length - _position));
        Buffer.BlockCopy(memory, (int)Math.Min(_position, _length), buffer, offset, available);
        _position += available;
        return available;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (_file is not null)
        {
            return _file.Seek(offset, origin);
        }

        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };
        Position = target;
        return target;
    }

    public override void SetLength(long value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The length cannot be negative.");
        }

        MakeRoom(value);
        if (_file is not null)
        {
            _file.SetLength(value);
            return;
        }

        var length = (int)value;
        EnsureCapacity(length);
        if (length > _length)
        {
            // Pooled memory may hold anything: the new bytes read as zeros, as in a file.
            Array.Clear(_memory!, _length, length - _length);
        }

        _length = length;
        _used = Math.Max(_used, length);
        // As a file stream and a memory stream do: a position past the new end moves back to it.
        _position = Math.Min(_position, length);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        var end = Position + count;
        MakeRoom(end);
        if (_file is not null)
        {
            _file.Write(buffer, offset, count);
            return;
        }

        WriteToMemory(buffer, offset, count, (int)end);
    }

    public override void WriteByte(byte value)
    {
        var end = Position + 1;
        MakeRoom(end);
        if (_file is not null)
        {
            _file.WriteByte(value);
            return;
        }

        PrepareWrite((int)end);
        _memory![(int)_position] = value;
        _position = end;
    }

#if NET
    public override int Read(Span<byte> buffer)
    {
        if (_file is not null)
        {
            return _file.Read(buffer);
        }

        var memory = Memory!;
        var available = (int)Math.Max(0, Math.Min(buffer.Length, _length - _position));
        memory.AsSpan((int)Math.Min(_position, _length), available).CopyTo(buffer);
        _position += available;
        return available;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var end = Position + buffer.Length;
        MakeRoom(end);
        if (_file is not null)
        {
            _file.Write(buffer);
            return;
        }

        PrepareWrite((int)end);
        buffer.CopyTo(_memory!.AsSpan((int)_position));
        _position = end;
    }
#endif

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnMemory();
            _file?.Dispose();
            _memory = null;
            _file = null;
        }

        base.Dispose(disposing);
    }

    private void WriteToMemory(byte[] buffer, int offset, int count, int end)
    {
        PrepareWrite(end);
        Buffer.BlockCopy(buffer, offset, _memory!, (int)_position, count);
        _position = end;
    }

    /// <summary>Makes room in memory for a write ending at <paramref name="end"/> (at most the threshold) at the position.</summary>
    private void PrepareWrite(int end)
    {
        EnsureCapacity(end);
        if (_position > _length)
        {
            // A write past the end leaves a gap that reads as zeros, as in a file.
            Array.Clear(_memory!, _length, (int)_position - _length);
        }

        _length = Math.Max(_length, end);
        _used = Math.Max(_used, end);
    }

    private void EnsureCapacity(int length)
    {
        var memory = Memory!;
        if (length <= memory.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_threshold, Math.Max(length, Math.Max(FirstBufferSize, memory.Length * 2))));
        Buffer.BlockCopy(memory, 0, larger, 0, _length);
        ReturnMemory();
        _memory = larger;
    }

    /// <summary>The memory buffer held plain text: cleared, then back to the pool.</summary>
    private void ReturnMemory()
    {
        if (_memory is { Length: > 0 } memory)
        {
            Array.Clear(memory, 0, _used);
            ArrayPool<byte>.Shared.Return(memory);
        }

        _memory = Array.Empty<byte>();
        _used = 0;
    }

    /// <summary>Moves the content to the file when the stream is about to hold more than the threshold.</summary>
    private void MakeRoom(long length)
    {
        if (_file is not null || length <= _threshold)
        {
            return;
        }

        var memory = Memory!;
        var file = _createFile();
        try
        {
            file.Write(memory, 0, _length);
            file.Position = _position;
        }
        catch
        {
            file.Dispose();
            throw;
        }

        _file = file;
        ReturnMemory();
    }
}
