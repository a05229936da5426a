using System;
using System.Buffers;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The shape shared by the outbound encoders (<see cref="Base64LineStream"/>, <see cref="OctetChunkStream"/> and the
/// envelope's AES-CBC stream): what is written collects in a block of a fixed size, and each full block is handed to
/// <see cref="WriteBlock"/> at once, so the work runs on large blocks whatever sizes the writer uses. The block is
/// borrowed from the shared pool (a small message allocates none) and cleared, as far as it was ever filled, before it
/// goes back: plain content passes through it.
/// </summary>
internal abstract class BlockWriteStream : WriteOnlyStream
{
    private readonly int _blockSize;
    private byte[]? _block;
    private int _count;
    private int _used;

    protected BlockWriteStream(int blockSize)
    {
        _blockSize = blockSize;
        _block = ArrayPool<byte>.Shared.Rent(blockSize);
    }

    public override bool CanWrite => _block is not null;

    public override void Write(byte[] buffer, int offset, int count)
    {
        Guard.NotNull(buffer);
        Write(new ReadOnlySpan<byte>(buffer, offset, count));
    }

#if NET
    public override void Write(ReadOnlySpan<byte> buffer)
#else
    public void Write(ReadOnlySpan<byte> buffer)
#endif
    {
        var block = _block ?? throw new InvalidOperationException("The " + GetType().Name + " is already complete.");
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _blockSize - _count);
            buffer.Slice(0, take).CopyTo(new Span<byte>(block, _count, take));
            _count += take;
            _used = Math.Max(_used, _count);
            buffer = buffer.Slice(take);
            if (_count == _blockSize)
            {
                WriteBlock(block, _blockSize);
                _count = 0;
            }
        }
    }

    public override void WriteByte(byte value)
    {
        Span<byte> one = stackalloc byte[1];
        one[0] = value;
        Write(one);
    }

    /// <summary>Takes a full block (<paramref name="count"/> is the block size).</summary>
    protected abstract void WriteBlock(byte[] block, int count);

    /// <summary>
    /// Ends the stream: <paramref name="writeLast"/> gets the last, partial block (possibly empty), then the block goes
    /// back to the pool, even if that throws. False when it was ended before.
    /// </summary>
    protected bool Finish(Action<byte[], int> writeLast)
    {
        if (_block is not { } block)
        {
            return false;
        }

        _block = null;
        try
        {
            writeLast(block, _count);
        }
        finally
        {
            Array.Clear(block, 0, _used);
            ArrayPool<byte>.Shared.Return(block);
        }

        return true;
    }
}
