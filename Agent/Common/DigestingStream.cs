using System;
using System.IO;
using System.Security.Cryptography;

namespace ExchangeEncryptionAgent;

/// <summary>
/// Writes through to another stream and hashes what passes with the platform's hash (OpenSSL on Linux, CNG on
/// Windows): the content of a clear signature is copied out once and digested on the way, and so is a finished copy
/// written into the mail item (its digest tells the next event that the content is ours). BouncyCastle's managed
/// SHA-256 ran at a fraction of the platform's speed and was most of the time of signing a large message
/// (docs/performance.md, "Signing"). The hash object is reused by the next stream on the same thread (reset, it holds
/// nothing of the message): making one per message showed in the small-message profile.
/// </summary>
internal sealed class DigestingStream : WriteOnlyStream
{
    /// <summary>An idle hash per thread, of the algorithm it was made for.</summary>
    [ThreadStatic]
    private static IncrementalHash? _idle;

    private readonly Stream _destination;
    private readonly IncrementalHash _hash;
    private bool _reset = true;
    private bool _disposed;

    public DigestingStream(Stream destination, HashAlgorithmName algorithm)
    {
        _destination = Guard.NotNull(destination);
        if (_idle is { } idle && idle.AlgorithmName == algorithm)
        {
            _idle = null;
            _hash = idle;
        }
        else
        {
            _hash = IncrementalHash.CreateHash(algorithm);
        }
    }

    public override bool CanWrite => true;

    /// <summary>The digest of everything written so far (once: the hash is reset).</summary>
    public byte[] GetDigest()
    {
        _reset = true;
        return _hash.GetHashAndReset();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _reset = false;
        _hash.AppendData(buffer, offset, count);
        _destination.Write(buffer, offset, count);
    }

#if NET
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _reset = false;
        _hash.AppendData(buffer);
        _destination.Write(buffer);
    }
#endif

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (!_reset)
            {
                _ = _hash.GetHashAndReset();
            }

            // Kept for the next stream on this thread, or disposed if one is kept already.
            if (_idle is null)
            {
                _idle = _hash;
            }
            else
            {
                _hash.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
