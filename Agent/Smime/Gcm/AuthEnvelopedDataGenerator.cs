using System;
using System.Collections.Generic;
using System.IO;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Gcm;

/// <summary>
/// Streaming generator of CMS AuthEnvelopedData with AES-GCM (RFC 5083, RFC 5084): what RFC 8551 §2.7 makes a
/// MUST and what neither MimeKit nor BouncyCastle 2.7 can write. Whatever is written to the returned stream is
/// encrypted as the id-data content; disposing the stream writes the authentication tag and finishes the encoding.
/// </summary>
/// <remarks>
/// The output is the binary ContentInfo in BER with indefinite lengths (the content length is not known in advance;
/// OpenSSL writes the same with -stream and reads it back). Wrap it in base64 under
/// <c>application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m</c> (RFC 8551 §3.2.2).
/// Memory use is constant: ciphertext goes out in <see cref="ChunkSize"/> pieces as it is produced.
/// </remarks>
internal static class AuthEnvelopedDataGenerator
{
    /// <summary>The smime-type parameter value for this content (RFC 8551 §3.2.2; RFC 7114 registry).</summary>
    public const string SmimeType = "authEnveloped-data";

    /// <summary>Size of each BER octet-string chunk of encrypted content.</summary>
    internal const int ChunkSize = 32 * 1024;

    /// <summary>
    /// Opens a write stream that encrypts to <paramref name="recipients"/> (RSA certificates) with
    /// <paramref name="algorithm"/> (<see cref="ContentEncryptionAlgorithm.Aes128Gcm"/> or
    /// <see cref="ContentEncryptionAlgorithm.Aes256Gcm"/>) and writes the CMS to <paramref name="output"/>, which is
    /// left open. A fresh random key and 12-byte nonce are drawn per call.
    /// </summary>
    /// <exception cref="ArgumentException">No recipients, a non-GCM algorithm, or a certificate without an RSA key.</exception>
    public static Stream Open(Stream output, IReadOnlyList<X509Certificate> recipients, ContentEncryptionAlgorithm algorithm, KeyTransportAlgorithm keyTransport)
        => Open(output, recipients, algorithm, keyTransport, new SecureRandom());

    internal static Stream Open(Stream output, IReadOnlyList<X509Certificate> recipients, ContentEncryptionAlgorithm algorithm, KeyTransportAlgorithm keyTransport, SecureRandom random)
    {
        Guard.NotNull(output);
        Guard.NotNull(recipients);
        Guard.NotNull(random);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient certificate is needed.", nameof(recipients));
        }

        var gcm = GcmContentAlgorithm.For(algorithm);
        var contentKey = SecureRandom.GetNextBytes(random, gcm.KeyLength);
        var nonce = SecureRandom.GetNextBytes(random, GcmContentAlgorithm.NonceLength);
        try
        {
            var recipientInfos = new Asn1EncodableVector(recipients.Count);
            foreach (var recipient in recipients)
            {
                recipientInfos.Add(RsaKeyTransport.Wrap(Guard.NotNull(recipient), contentKey, keyTransport, random));
            }

            var cipher = new GcmBlockCipher(AesUtilities.CreateEngine());
            cipher.Init(true, new AeadParameters(new KeyParameter(contentKey), GcmContentAlgorithm.TagLength * 8, nonce));
            var contentEncryption = new AlgorithmIdentifier(gcm.Oid, new GcmParameters(nonce, GcmContentAlgorithm.TagLength));
            return new AuthEnvelopedDataWriteStream(output, new DerSet(recipientInfos), contentEncryption, cipher);
        }
        finally
        {
            Array.Clear(contentKey, 0, contentKey.Length);
        }
    }

    /// <summary>Encrypts as it is written; the BER frame around the ciphertext is opened on construction.</summary>
    private sealed class AuthEnvelopedDataWriteStream : WriteOnlyStream
    {
        private readonly BerSequenceGenerator _contentInfo;
        private readonly BerSequenceGenerator _authEnvelopedData;
        private readonly BerSequenceGenerator _encryptedContentInfo;
        private readonly BerOctetStringGenerator _encryptedContent;
        private readonly Stream _ciphertext;
        private readonly GcmBlockCipher _cipher;
        private readonly byte[] _buffer = new byte[ChunkSize + GcmContentAlgorithm.TagLength + 16];
        private bool _finished;

        public AuthEnvelopedDataWriteStream(Stream output, DerSet recipientInfos, AlgorithmIdentifier contentEncryption, GcmBlockCipher cipher)
        {
            _cipher = cipher;

            // ContentInfo ::= SEQUENCE { contentType id-ct-authEnvelopedData, content [0] EXPLICIT AuthEnvelopedData }
            _contentInfo = new BerSequenceGenerator(output);
            _contentInfo.AddObject(CmsObjectIdentifiers.AuthEnvelopedData);

            // AuthEnvelopedData ::= SEQUENCE { version 0, [originatorInfo absent], recipientInfos,
            //   authEncryptedContentInfo, [authAttrs absent: content type is id-data, RFC 5083 §2.1], mac }
            _authEnvelopedData = new BerSequenceGenerator(_contentInfo.GetRawOutputStream(), 0, true);
            _authEnvelopedData.AddObject(DerInteger.Zero);
            _authEnvelopedData.AddObject(recipientInfos);

            // EncryptedContentInfo ::= SEQUENCE { contentType id-data, algorithm, encryptedContent [0] IMPLICIT }
            _encryptedContentInfo = new BerSequenceGenerator(_authEnvelopedData.GetRawOutputStream());
            _encryptedContentInfo.AddObject(CmsObjectIdentifiers.Data);
            _encryptedContentInfo.AddObject(contentEncryption);
            _encryptedContent = new BerOctetStringGenerator(_encryptedContentInfo.GetRawOutputStream(), 0, false);
            _ciphertext = _encryptedContent.GetOctetOutputStream(new byte[ChunkSize]);
        }

        public override bool CanWrite => !_finished;

        public override void Write(byte[] buffer, int offset, int count)
        {
#pragma warning disable CA1513 // ObjectDisposedException.ThrowIf does not exist on net48.
            if (_finished)
            {
                throw new ObjectDisposedException(nameof(AuthEnvelopedDataGenerator));
            }
#pragma warning restore CA1513

            while (count > 0)
            {
                var take = Math.Min(count, ChunkSize);
                var produced = _cipher.ProcessBytes(buffer, offset, take, _buffer, 0);
                _ciphertext.Write(_buffer, 0, produced);
                offset += take;
                count -= take;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_finished)
            {
                _finished = true;

                // GCM's final block: the last ciphertext bytes followed by the tag. RFC 5083 keeps the tag apart,
                // in the mac field after the content, so it is cut off here.
                var produced = _cipher.DoFinal(_buffer, 0);
                var tagLength = GcmContentAlgorithm.TagLength;
                _ciphertext.Write(_buffer, 0, produced - tagLength);
                _ciphertext.Dispose();
                _encryptedContent.Dispose();
                _encryptedContentInfo.Dispose();
                var tag = new byte[tagLength];
                Array.Copy(_buffer, produced - tagLength, tag, 0, tagLength);
                _authEnvelopedData.AddObject(new DerOctetString(tag));
                _authEnvelopedData.Dispose();
                _contentInfo.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
