using System;
using System.IO;

namespace ExchangeEncryptionAgent;

/// <summary>
/// The shape of every filter that reads another stream once, front to back: read-only, no length, no position, and
/// it owns the stream it reads (disposing the filter disposes the source). Subclasses implement Read only.
/// </summary>
internal abstract class ReadOnlyForwardStream : Stream
{
    protected ReadOnlyForwardStream(Stream inner)
    {
        Inner = Guard.NotNull(inner);
    }

    /// <summary>The stream read from.</summary>
    protected Stream Inner { get; }

    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
