using System;
using System.Buffers;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The contents of a BER constructed OCTET STRING (X.690 §8.7.3.2) written as a stream: what is written here leaves
/// as primitive OCTET STRINGs of <see cref="ChunkSize"/> octets (the last one shorter), the layout of
/// `openssl cms -stream` and of BouncyCastle's stream generators. The caller writes the constructed header before and
/// the end-of-contents octets after. The buffer is borrowed from the shared pool and given back on dispose (after
/// clearing: plain content may pass here), so a small message does not allocate one.
/// </summary>
internal sealed class OctetChunkStream : WriteOnlyStream
{
    /// <summary>
    /// Large enough that the framing (4 octets a chunk) costs nothing, small enough to stay out of the large-object heap.
    /// </summary>
    public const int ChunkSize = 32 * 1024;

    private readonly Stream _output;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _count;
    private int _used;

    public OctetChunkStream(Stream output) => _output = Guard.NotNull(output);

    public override bool CanWrite => _buffer is not null;

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
        var chunk = _buffer ?? throw new ObjectDisposedException(nameof(OctetChunkStream));
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, ChunkSize - _count);
            buffer.Slice(0, take).CopyTo(new Span<byte>(chunk, _count, take));
            _count += take;
            _used = Math.Max(_used, _count);
            buffer = buffer.Slice(take);
            if (_count == ChunkSize)
            {
                WriteChunk(chunk);
            }
        }
    }

    /// <summary>Writes what is buffered as the last chunk and gives the buffer back; the output stays open.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is { } chunk)
        {
            try
            {
                WriteChunk(chunk);
            }
            finally
            {
                _buffer = null;
                Array.Clear(chunk, 0, _used);
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        base.Dispose(disposing);
    }

    private void WriteChunk(byte[] chunk)
    {
        if (_count > 0)
        {
            Der.WriteOctetString(_output, chunk, 0, _count);
            _count = 0;
        }
    }
}
