using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>
/// A spool file on a disk that fills up: a real delete-on-close file that takes <c>capacity</c> bytes, then throws
/// IOException("There is not enough space on the disk.") as FileStream does on a full volume. A FileStream, because the
/// temporary file factory hands out FileStreams (<see cref="TemporaryFileFactory.FaultInjectors"/>).
/// </summary>
internal sealed class DiskFullFileStream : FileStream
{
    private readonly long _capacity;

    public DiskFullFileStream(string path, long capacity)
        : base(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose)
    {
        _capacity = capacity;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (Position + count > _capacity)
        {
            throw new IOException("There is not enough space on the disk.");
        }

        base.Write(buffer, offset, count);
    }

    // Through the array overload: FileStream's span overload of a derived class calls back into Write(byte[], ...).
    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    public override void WriteByte(byte value) => Write(new[] { value }, 0, 1);

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

    public override void SetLength(long value)
    {
        if (value > _capacity)
        {
            throw new IOException("There is not enough space on the disk.");
        }

        base.SetLength(value);
    }
}
