using System;
using System.IO;

namespace ExchangeEncryptionAgent;

/// <summary>
/// A scratch stream that holds its first bytes in memory and moves to a delete-on-close spool file the moment it would
/// grow past a small threshold. A 10 KB message then costs no file create, write, flush and unlink per pipeline step
/// (the small-message profile in docs/performance.md), while memory stays bounded by the threshold per stream whatever
/// the message size. Readable, writable and seekable, like the file it stands for.
/// </summary>
internal sealed class SpoolStream : Stream
{
    private readonly Func<Stream> _createFile;
    private readonly int _threshold;
    private MemoryStream? _memory = new();
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

    public override long Length => Current.Length;

    public override long Position
    {
        get => Current.Position;
        set => Current.Position = value;
    }

    private Stream Current => _file ?? _memory ?? throw new ObjectDisposedException(nameof(SpoolStream));

    public override void Flush() => Current.Flush();

    public override int Read(byte[] buffer, int offset, int count) => Current.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => Current.Seek(offset, origin);

    public override void SetLength(long value)
    {
        MakeRoom(value);
        Current.SetLength(value);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        MakeRoom(Current.Position + count);
        Current.Write(buffer, offset, count);
    }

    public override void WriteByte(byte value)
    {
        MakeRoom(Current.Position + 1);
        Current.WriteByte(value);
    }

#if NET
    public override int Read(Span<byte> buffer) => Current.Read(buffer);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        MakeRoom(Current.Position + buffer.Length);
        Current.Write(buffer);
    }
#endif

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The memory buffer held plain text: cleared, not left for the collector to hand out again.
            if (_memory is { } memory)
            {
                Array.Clear(memory.GetBuffer(), 0, (int)memory.Length);
                memory.Dispose();
            }

            _file?.Dispose();
            _memory = null;
            _file = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Moves the content to the file when the stream is about to hold more than the threshold.</summary>
    private void MakeRoom(long length)
    {
        if (_file is not null || length <= _threshold)
        {
            return;
        }

        var memory = _memory ?? throw new ObjectDisposedException(nameof(SpoolStream));
        var file = _createFile();
        try
        {
            file.Write(memory.GetBuffer(), 0, (int)memory.Length);
            file.Position = memory.Position;
        }
        catch
        {
            file.Dispose();
            throw;
        }

        _file = file;
        Array.Clear(memory.GetBuffer(), 0, (int)memory.Length);
        memory.Dispose();
        _memory = null;
    }
}
