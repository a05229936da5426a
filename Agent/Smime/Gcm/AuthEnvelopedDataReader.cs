using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace ExchangeEncryptionAgent.Smime.Gcm;

/// <summary>
/// Decrypts CMS AuthEnvelopedData with AES-GCM (RFC 5083, RFC 5084) in one streaming pass. The plaintext goes into a
/// temporary file and is handed on only after the GCM tag has been verified; on any failure the file is deleted, so
/// unauthenticated plaintext never leaves this class.
/// </summary>
internal sealed class AuthEnvelopedDataReader
{
    private const int ChunkSize = 64 * 1024;

    private readonly IReadOnlyList<PrivateKeyEntry> _keys;
    private readonly TemporaryFileFactory _temporaryFiles;

    public AuthEnvelopedDataReader(IReadOnlyList<PrivateKeyEntry> keys, TemporaryFileFactory temporaryFiles)
    {
        _keys = Guard.NotNull(keys);
        _temporaryFiles = Guard.NotNull(temporaryFiles);
    }

    /// <summary>Decrypts <paramref name="source"/> with the first configured key that a RecipientInfo names and that works.</summary>
    public CmsDecryptResult Decrypt(CmsSource source, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Exception? lastFailure = null;
        string? algorithm = null;
        Stream? stream = null;
        try
        {
            // Inside the try, as in EnvelopedDataReader: a header that does not parse is a failed layer (fuzzing).
            var position = Open(source, out stream);
            var contentKeys = KeyTransportRecipients.Unwrap(position.Parser.GetRecipientInfos(), _keys, out var namedUs);
            if (!namedUs)
            {
                return CmsDecryptResult.NotForUs(null);
            }

            for (var attempt = 0; attempt < contentKeys.Count; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (position is null)
                {
                    // The content of the first pass was consumed by a key that failed the tag check: start over.
                    stream.Dispose();
                    position = Open(source, out stream);
                    KeyTransportRecipients.Skip(position.Parser.GetRecipientInfos());
                }

                var (key, contentKey) = contentKeys[attempt];
                var plaintext = _temporaryFiles.Create();
                try
                {
                    algorithm = DecryptContent(position.Parser, contentKey, null, plaintext, cancellationToken, out var authenticatedAttributes);
                    if (authenticatedAttributes is not null)
                    {
                        // authAttrs follow the ciphertext but are GCM's additional authenticated data, needed before
                        // it (RFC 5083 §2.2): a second pass with them. OpenSSL and our generator never write any.
                        plaintext.SetLength(0);
                        stream.Dispose();
                        position = Open(source, out stream);
                        KeyTransportRecipients.Skip(position.Parser.GetRecipientInfos());
                        algorithm = DecryptContent(position.Parser, contentKey, authenticatedAttributes, plaintext, cancellationToken, out _);
                    }

                    plaintext.Position = 0;
                    return CmsDecryptResult.Decrypted(plaintext, key, algorithm);
                }
                catch (Exception ex) when (IsContentFailure(ex))
                {
                    plaintext.Dispose();
                    lastFailure = ex;
                    position = null;
                }
                finally
                {
                    Array.Clear(contentKey, 0, contentKey.Length);
                }
            }

            return CmsDecryptResult.Failed(algorithm, lastFailure ?? new InvalidCipherTextException("no RecipientInfo for a configured key could be decrypted"));
        }
        catch (Exception ex) when (IsContentFailure(ex))
        {
            return CmsDecryptResult.Failed(algorithm, ex);
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>Failures of malformed, truncated or forged input; anything else (cancellation, out of memory) propagates.</summary>
    internal static bool IsContentFailure(Exception ex)
        => ex is not OperationCanceledException and not OutOfMemoryException and not StackOverflowException;

    private static ParserPosition Open(CmsSource source, out Stream stream)
    {
        var parser = source.OpenParser(out stream);
        var contentInfo = new ContentInfoParser((Asn1SequenceParser)parser.ReadObject());
        if (!CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentInfo.ContentType))
        {
            throw new InvalidDataException("not AuthEnvelopedData");
        }

        var authEnvelopedData = new AuthEnvelopedDataParser((Asn1SequenceParser)contentInfo.GetContent(Asn1Tags.Sequence));

        // RFC 5083 §2.1: version MUST be 0.
        if (!authEnvelopedData.Version.HasValue(0))
        {
            throw new InvalidDataException("AuthEnvelopedData version is not 0");
        }

        authEnvelopedData.GetOriginatorInfo();
        return new ParserPosition(authEnvelopedData);
    }

    private static string DecryptContent(AuthEnvelopedDataParser parser, byte[] contentKey, byte[]? additionalData, Stream plaintext,
        CancellationToken cancellationToken, out byte[]? authenticatedAttributes)
    {
        var contentInfo = parser.GetAuthEncryptedContentInfo();
        var algorithm = GcmContentAlgorithm.FromOid(contentInfo.ContentEncryptionAlgorithm.Algorithm)
            ?? throw new InvalidDataException("content encryption is not AES-GCM");
        if (contentKey.Length != algorithm.KeyLength)
        {
            throw new InvalidCipherTextException("content key length does not fit the algorithm");
        }

        // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER (12..16) DEFAULT 12 } (RFC 5084 §3.2).
        var parameters = GcmParameters.GetInstance(contentInfo.ContentEncryptionAlgorithm.Parameters);
        var nonce = parameters.GetNonce();
        var tagLength = parameters.IcvLen;
        if (tagLength is < 12 or > 16 || nonce.Length is < 1 or > 64)
        {
            throw new InvalidDataException("GCM parameters out of range");
        }

        var cipher = new GcmBlockCipher(AesUtilities.CreateEngine());
        cipher.Init(false, new AeadParameters(new KeyParameter(contentKey), tagLength * 8, nonce, additionalData));

        var content = contentInfo.GetEncryptedContent(Asn1Tags.OctetString) as Asn1OctetStringParser
            ?? throw new InvalidDataException("no encrypted content");
        var input = new byte[ChunkSize];
        var output = new byte[ChunkSize + 64];
        using (var ciphertext = content.GetOctetStream())
        {
            int read;
            while ((read = ciphertext.Read(input, 0, input.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                plaintext.Write(output, 0, cipher.ProcessBytes(input, 0, read, output, 0));
            }
        }

        var authAttrs = parser.GetAuthAttrs();
        authenticatedAttributes = null;
        if (authAttrs is not null)
        {
            // The AAD is the DER of the attributes with the SET OF tag, not the [1] IMPLICIT tag (RFC 5083 §2.2).
            authenticatedAttributes = Asn1Set.GetInstance(authAttrs.ToAsn1Object()).GetEncoded(Asn1Encodable.Der);
            if (additionalData is null)
            {
                return algorithm.Name;
            }
        }

        var tag = parser.GetMac().GetOctets();
        if (tag.Length != tagLength)
        {
            throw new InvalidCipherTextException("tag length differs from aes-ICVlen");
        }

        // The tag goes through the cipher last: DoFinal compares it in constant time and throws on mismatch.
        plaintext.Write(output, 0, cipher.ProcessBytes(tag, 0, tag.Length, output, 0));
        plaintext.Write(output, 0, cipher.DoFinal(output, 0));
        plaintext.Flush();
        return algorithm.Name;
    }

    /// <summary>A parser positioned just before the RecipientInfos.</summary>
    private sealed class ParserPosition
    {
        public ParserPosition(AuthEnvelopedDataParser parser) => Parser = parser;

        public AuthEnvelopedDataParser Parser { get; }
    }
}
