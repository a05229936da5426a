using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes CMS EnvelopedData (RFC 5652 §6.1) as a stream, in BER with an indefinite-length encryptedContent of
/// fixed-size octet-string chunks (<see cref="OctetChunkStream"/>), the layout of `openssl cms -stream`. The
/// RecipientInfos come from each certificate's <see cref="PlatformKeyWrapper"/> (DER made once, the platform's RSA
/// per message); the bulk AES-CBC (RFC 3565) is the platform's (OpenSSL on Linux, CNG on Windows): BouncyCastle's
/// AES-NI path ran at a third of OpenSSL's speed here, and on .NET Framework its AES is a table-based managed
/// implementation (slow, and not constant-time).
/// </summary>
internal static class EnvelopedDataWriter
{
    /// <summary>ContentInfo { id-envelopedData, [0] EXPLICIT EnvelopedData { version 0, … } }, the constructed ones indefinite.</summary>
    /// <remarks>Version 0 (RFC 5652 §6.1): no originatorInfo, no unprotectedAttrs, every RecipientInfo version 0.</remarks>
    private static readonly byte[] Prefix = Der.Concat(
        new byte[] { Der.Sequence, 0x80 },
        CmsObjectIdentifiers.EnvelopedData.GetEncoded(Asn1Encodable.Der),
        new byte[] { Der.Context(0), 0x80, Der.Sequence, 0x80, Der.Integer, 1, 0 });

    /// <summary>EncryptedContentInfo's opening and its contentType, id-data.</summary>
    private static readonly byte[] ContentPrefix = Der.Concat(new byte[] { Der.Sequence, 0x80 }, CmsObjectIdentifiers.Data.GetEncoded(Asn1Encodable.Der));

    /// <summary>encryptedContent [0] IMPLICIT OCTET STRING, constructed so it can be written before its length is known.</summary>
    private static readonly byte[] EncryptedContentPrefix = { Der.Context(0), 0x80 };

    private static readonly byte[] Aes256CbcOid = Oid(ContentEncryptionAlgorithm.Aes256Cbc);
    private static readonly byte[] Aes128CbcOid = Oid(ContentEncryptionAlgorithm.Aes128Cbc);

    /// <summary>
    /// Writes the header and RecipientInfos to <paramref name="output"/> and returns the stream the content goes to;
    /// disposing it writes the final block and closes every BER constructed encoding. <paramref name="output"/> stays open.
    /// </summary>
    public static Stream Open(Stream output, IReadOnlyList<SmimeRecipient> recipients, ContentEncryptionAlgorithm algorithm)
    {
        var algorithmOid = algorithm switch
        {
            ContentEncryptionAlgorithm.Aes256Cbc => Aes256CbcOid,
            ContentEncryptionAlgorithm.Aes128Cbc => Aes128CbcOid,
            _ => Oid(algorithm), // throws: AES-GCM is AuthEnvelopedData, not written here
        };
        var key = new byte[algorithm == ContentEncryptionAlgorithm.Aes128Cbc ? 16 : 32];
        var iv = new byte[16];
        try
        {
            SecureRandomBytes.Fill(key, iv);
            var recipientInfos = new byte[recipients.Count][];
            for (var i = 0; i < recipientInfos.Length; i++)
            {
                recipientInfos[i] = PlatformKeyWrapper.For(recipients[i].Certificate).RecipientInfo(key, recipients[i].KeyTransport);
            }

            var encryptor = PlatformAesCbc.Encryptor(key, iv);
            try
            {
                output.Write(Prefix, 0, Prefix.Length);
                var recipientSet = Der.SetOf(recipientInfos);
                output.Write(recipientSet, 0, recipientSet.Length);
                output.Write(ContentPrefix, 0, ContentPrefix.Length);

                // contentEncryptionAlgorithm: the AES-CBC OID with the IV as its parameters (RFC 3565 §4.1).
                var algorithmIdentifier = Der.Encode(Der.Sequence, algorithmOid, Der.Encode(Der.OctetString, iv));
                output.Write(algorithmIdentifier, 0, algorithmIdentifier.Length);
                output.Write(EncryptedContentPrefix, 0, EncryptedContentPrefix.Length);
                return new CbcEncryptingStream(encryptor, output);
            }
            catch
            {
                encryptor.Dispose();
                throw;
            }
        }
        finally
        {
            Array.Clear(key, 0, key.Length);
        }
    }

    private static byte[] Oid(ContentEncryptionAlgorithm algorithm)
        => new DerObjectIdentifier(SmimeAlgorithms.ContentEncryptionOid(algorithm)).GetEncoded(Asn1Encodable.Der);

    /// <summary>
    /// AES-CBC with PKCS#7 padding (RFC 5652 §6.3) in large blocks through the platform's implementation; the
    /// ciphertext goes out as the chunks of the constructed encryptedContent. Its buffers are borrowed from the shared
    /// pool (the plain one cleared before it goes back), so a small message allocates none.
    /// </summary>
    private sealed class CbcEncryptingStream : BlockWriteStream
    {
        private const int BlockBufferSize = 64 * 1024;

        private readonly ICryptoTransform _encryptor;
        private readonly Stream _output;
        private readonly OctetChunkStream _chunks;
        private byte[]? _cipher;

        public CbcEncryptingStream(ICryptoTransform encryptor, Stream output)
            : base(BlockBufferSize)
        {
            _encryptor = encryptor;
            _output = output;
            _chunks = new OctetChunkStream(output);
        }

        /// <summary>
        /// A full block is encrypted at once. It is not the last one (it would be the last only if nothing followed,
        /// and then Dispose would have it), so no padding is due yet.
        /// </summary>
        protected override void WriteBlock(byte[] block, int count)
        {
            _cipher ??= ArrayPool<byte>.Shared.Rent(BlockBufferSize);
            var whole = _encryptor.TransformBlock(block, 0, count, _cipher, 0);
            _chunks.Write(_cipher, 0, whole);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    Finish((block, count) =>
                    {
                        // The last block, possibly empty, gets the PKCS#7 padding (RFC 5652 §6.3).
                        var last = _encryptor.TransformFinalBlock(block, 0, count);
                        _chunks.Write(last, 0, last.Length);
                        _chunks.Dispose();

                        // Closes encryptedContent, EncryptedContentInfo, EnvelopedData, the ContentInfo's [0] and ContentInfo.
                        Der.WriteEndOfContents(_output, 5);
                    });
                }
                finally
                {
                    _chunks.Dispose();
                    _encryptor.Dispose();
                    if (_cipher is not null)
                    {
                        ArrayPool<byte>.Shared.Return(_cipher);
                        _cipher = null;
                    }
                }
            }

            base.Dispose(disposing);
        }
    }
}
