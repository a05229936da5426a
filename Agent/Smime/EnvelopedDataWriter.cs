using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes CMS EnvelopedData (RFC 5652 §6.1) as a stream, in BER with an indefinite-length encryptedContent of
/// fixed-size octet-string chunks, the layout of BouncyCastle's CmsEnvelopedDataStreamGenerator and of
/// `openssl cms -stream`. The ASN.1 framing and the RecipientInfos (PKCS#1 v1.5 or OAEP key transport) come from
/// BouncyCastle; the bulk AES-CBC (RFC 3565) is the platform's (OpenSSL on Linux, CNG on Windows): BouncyCastle's
/// generator cannot take another cipher, its AES-NI path ran at a third of OpenSSL's speed here, and on .NET
/// Framework its AES is a table-based managed implementation (slow, and not constant-time).
/// </summary>
internal static class EnvelopedDataWriter
{
    private const int OctetChunkSize = 32 * 1024;

    /// <summary>
    /// Handed to BouncyCastle's RecipientInfo generator, which needs one though the platform key wrapper draws its own
    /// padding: made once (seeding a new one cost about 2 % of a small message), thread-safe.
    /// </summary>
    private static readonly SecureRandom Random = new();

    /// <summary>
    /// Writes the header and RecipientInfos to <paramref name="output"/> and returns the stream the content goes to;
    /// disposing it writes the final block and closes every BER constructed encoding. <paramref name="output"/> stays open.
    /// </summary>
    public static Stream Open(Stream output, IReadOnlyList<SmimeRecipient> recipients, ContentEncryptionAlgorithm algorithm)
    {
        var oid = SmimeAlgorithms.ContentEncryptionOid(algorithm);
        var key = new byte[algorithm == ContentEncryptionAlgorithm.Aes128Cbc ? 16 : 32];
        var iv = new byte[16];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(key);
            random.GetBytes(iv);
        }

        try
        {
            var recipientInfos = new Asn1EncodableVector();
            foreach (var recipient in recipients)
            {
                var generator = new KeyTransRecipientInfoGenerator(recipient.Certificate,
                    SmimeAlgorithms.KeyWrapper(recipient.KeyTransport, recipient.Certificate));
                recipientInfos.Add(generator.Generate(new KeyParameter(key), Random));
            }

            var recipientSet = new DerSet(recipientInfos);
            var contentInfo = new BerSequenceGenerator(output);
            contentInfo.AddObject(CmsObjectIdentifiers.EnvelopedData);
            var envelopedData = new BerSequenceGenerator(contentInfo.GetRawOutputStream(), 0, true);
            envelopedData.AddObject(DerInteger.ValueOf(EnvelopedData.CalculateVersion(null, recipientSet, null)));
            envelopedData.AddObject(recipientSet);
            var encryptedContentInfo = new BerSequenceGenerator(envelopedData.GetRawOutputStream());
            encryptedContentInfo.AddObject(CmsObjectIdentifiers.Data);
            encryptedContentInfo.AddObject(new AlgorithmIdentifier(new DerObjectIdentifier(oid), new DerOctetString(iv)));
            // encryptedContent [0] IMPLICIT OCTET STRING, constructed (BER) so it can be written before its length is known.
            var encryptedContent = new BerOctetStringGenerator(encryptedContentInfo.GetRawOutputStream(), 0, false);
            var chunks = encryptedContent.GetOctetOutputStream(new byte[OctetChunkSize]);
            return new CbcEncryptingStream(key, iv, chunks, () =>
            {
                chunks.Dispose();
                encryptedContent.Dispose();
                encryptedContentInfo.Dispose();
                envelopedData.Dispose();
                contentInfo.Dispose();
            });
        }
        finally
        {
            Array.Clear(key, 0, key.Length);
        }
    }

    /// <summary>AES-CBC with PKCS#7 padding (RFC 5652 §6.3) in large blocks through the platform's implementation.</summary>
    private sealed class CbcEncryptingStream : WriteOnlyStream
    {
        private const int BlockBufferSize = 64 * 1024;

        private readonly Aes _aes;
        private readonly ICryptoTransform _encryptor;
        private readonly Stream _output;
        private readonly Action _close;
        private readonly byte[] _plain = new byte[BlockBufferSize];
        private readonly byte[] _cipher = new byte[BlockBufferSize];
        private int _count;
        private bool _closed;

        public CbcEncryptingStream(byte[] key, byte[] iv, Stream output, Action close)
        {
            _aes = Aes.Create();
            _aes.Mode = CipherMode.CBC;
            _aes.Padding = PaddingMode.PKCS7;
            _encryptor = _aes.CreateEncryptor(key, iv);
            _output = output;
            _close = close;
        }

        public override bool CanWrite => !_closed;

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
            if (_closed)
            {
                throw new InvalidOperationException("The envelope is already closed.");
            }

            while (!buffer.IsEmpty)
            {
                var take = Math.Min(buffer.Length, BlockBufferSize - _count);
                buffer.Slice(0, take).CopyTo(new Span<byte>(_plain, _count, take));
                _count += take;
                buffer = buffer.Slice(take);
                if (_count == BlockBufferSize)
                {
                    // Keep the last (possibly full) block for TransformFinalBlock, which adds the padding.
                    var whole = _encryptor.TransformBlock(_plain, 0, BlockBufferSize, _cipher, 0);
                    _output.Write(_cipher, 0, whole);
                    _count = 0;
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                try
                {
                    var last = _encryptor.TransformFinalBlock(_plain, 0, _count);
                    _output.Write(last, 0, last.Length);
                    _close();
                }
                finally
                {
                    Array.Clear(_plain, 0, _plain.Length);
                    _encryptor.Dispose();
                    _aes.Dispose();
                }
            }

            base.Dispose(disposing);
        }
    }
}
