using System;
using System.IO;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>Passes writes through to <c>inner</c> until <c>limit</c> bytes are out, then throws what <c>fault</c> makes.</summary>
internal sealed class FailingStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly Func<Exception> _fault;
    private long _written;

    public FailingStream(Stream inner, long limit, Func<Exception> fault)
    {
        _inner = inner;
        _limit = limit;
        _fault = fault;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => true;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void SetLength(long value) => _inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = (int)Math.Max(0, Math.Min(buffer.Length, _limit - _written));
        _inner.Write(buffer[..room]);
        _written += room;
        if (room < buffer.Length)
        {
            throw _fault();
        }
    }

    public override void WriteByte(byte value) => Write(new[] { value }, 0, 1);
}
