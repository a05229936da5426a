using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The contents of a BER constructed OCTET STRING (X.690 §8.7.3.2) written as a stream: what is written here leaves
/// as primitive OCTET STRINGs of <see cref="ChunkSize"/> octets (the last one shorter), the layout of
/// `openssl cms -stream` and of BouncyCastle's stream generators. The caller writes the constructed header before and
/// the end-of-contents octets after. Its buffer is the pooled block of <see cref="BlockWriteStream"/>.
/// </summary>
internal sealed class OctetChunkStream : BlockWriteStream
{
    /// <summary>
    /// Large enough that the framing (4 octets a chunk) costs nothing, small enough to stay out of the large-object heap.
    /// </summary>
    public const int ChunkSize = 32 * 1024;

    private readonly Stream _output;

    public OctetChunkStream(Stream output)
        : base(ChunkSize)
    {
        _output = Guard.NotNull(output);
    }

    /// <summary>The octets written so far leave as their chunk (the output stays open).</summary>
    protected override void WriteBlock(byte[] block, int count) => WriteChunk(block, count);

    /// <summary>Writes what is buffered as the last chunk and gives the buffer back; the output stays open.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish(WriteChunk);
        }

        base.Dispose(disposing);
    }

    private void WriteChunk(byte[] chunk, int count)
    {
        if (count > 0)
        {
            Der.WriteOctetString(_output, chunk, 0, count);
        }
    }
}
