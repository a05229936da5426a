using System;
using System.IO;
using System.Security.Cryptography;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes through to another stream and hashes what passes with the platform's hash (OpenSSL on Linux, CNG on
/// Windows): the content of a clear signature is copied out once and digested on the way. BouncyCastle's managed
/// SHA-256 ran at a fraction of the platform's speed and was most of the time of signing a large message
/// (docs/performance.md, "Signing").
/// </summary>
internal sealed class DigestingStream : WriteOnlyStream
{
    private readonly Stream _destination;
    private readonly IncrementalHash _hash;

    public DigestingStream(Stream destination, HashAlgorithmName algorithm)
    {
        _destination = Guard.NotNull(destination);
        _hash = IncrementalHash.CreateHash(algorithm);
    }

    public override bool CanWrite => true;

    /// <summary>The digest of everything written so far (once: the hash is reset).</summary>
    public byte[] GetDigest() => _hash.GetHashAndReset();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _hash.AppendData(buffer, offset, count);
        _destination.Write(buffer, offset, count);
    }

#if NET
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _destination.Write(buffer);
    }
#endif

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
