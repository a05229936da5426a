using System;
using System.IO;

namespace ExchangeEncryptionAgent;

/// <summary>
/// The shape of every encoder and envelope writer here: write-only, forward-only, no length, no position. Subclasses
/// implement Write (and usually finish their encoding in Dispose); Flush does nothing unless they say otherwise.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public sealed override bool CanRead => false;

    public sealed override bool CanSeek => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
