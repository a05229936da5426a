using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeApi.Simulator;

// MailItem.GetMimeReadStream: read-only and seekable (DKIM signers seek to 0), a snapshot of the content when opened.
// Every read goes through the item's access check, so a stream kept past Defer or past the event fails as on a server.
// Async reads run synchronously on the caller's thread so the thread rules stay meaningful.
internal sealed class MimeReadStream(SimulatedMailItem item, FileStream file) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length
    {
        get
        {
            item.CheckAccess();
            return file.Length;
        }
    }

    public override long Position
    {
        get => file.Position;
        set
        {
            item.CheckAccess();
            file.Position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        item.CheckAccess();
        return file.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        item.CheckAccess();
        return file.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override long Seek(long offset, SeekOrigin origin)
    {
        item.CheckAccess();
        return file.Seek(offset, origin);
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("The MIME read stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The MIME read stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}

// MailItem.GetMimeWriteStream as Exchange implements it (MimeDocument push stream): write-only, forward-only, no
// Length/Position/Seek, no Write after Flush (buffer first: MimeMessage.WriteTo flushes at the end). Closing it commits
// the new content; abandoning it (handler returned with it open) keeps the previous content.
internal sealed class MimeWriteStream : Stream
{
    private readonly SimulatedMailItem _item;
    private readonly string _path;
    private readonly FileStream _file;
    private long _written;
    private bool _flushed;
    private bool _closed;
    private bool _abandoned;

    public MimeWriteStream(SimulatedMailItem item, string path)
    {
        _item = item;
        _path = path;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_closed;

    public override long Length => throw new NotSupportedException("The MIME write stream has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("The MIME write stream has no position.");
        set => throw new NotSupportedException("The MIME write stream cannot seek.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        CheckWritable();
        _file.Write(buffer);
        Written(buffer.Length);
    }

    public override void WriteByte(byte value)
    {
        CheckWritable();
        _file.WriteByte(value);
        Written(1);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
        if (_closed)
        {
            return;
        }

        _flushed = true;
        _file.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The MIME write stream is write-only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The MIME write stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The MIME write stream has no length.");

    // Transport closed the stream itself (EnsureMimeWriteStreamClosed): nothing written is kept.
    public void Abandon()
    {
        _abandoned = true;
        Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            _file.Dispose();
            if (!_abandoned)
            {
                _item.CommitWriteStream(this, _path);
            }
        }

        base.Dispose(disposing);
    }

    private void Written(int count)
    {
        _written += count;
        if (_item.Run.Options.WriteStreamFault?.Invoke(_written) is { } fault)
        {
            throw fault;
        }
    }

    private void CheckWritable()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _item.CheckAccess();
        if (_flushed)
        {
            // Exchange quirk: the push stream rejects writes once flushed.
            throw new InvalidOperationException("The MIME write stream cannot be written to after it has been flushed.");
        }
    }
}
