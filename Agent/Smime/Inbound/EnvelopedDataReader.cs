using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Smime.Gcm;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Decrypts CMS EnvelopedData (RFC 5652 §6) with BouncyCastle's streaming <see cref="CmsEnvelopedDataParser"/>:
/// AES-CBC, and 3DES only because legacy mail must stay readable (RFC 8551 App. B.3: decrypt, never encrypt).
/// The plaintext goes to a temporary file and is handed on only when the final block unpadded cleanly.
/// </summary>
internal sealed class EnvelopedDataReader
{
    private const int ChunkSize = 64 * 1024;

    private static readonly Dictionary<string, string> ReadableAlgorithms = new(StringComparer.Ordinal)
    {
        [NistObjectIdentifiers.IdAes128Cbc.Id] = "aes-128-cbc",
        [NistObjectIdentifiers.IdAes192Cbc.Id] = "aes-192-cbc",
        [NistObjectIdentifiers.IdAes256Cbc.Id] = "aes-256-cbc",
        [PkcsObjectIdentifiers.DesEde3Cbc.Id] = "des-ede3-cbc",
    };

    private readonly IReadOnlyList<PrivateKeyEntry> _keys;
    private readonly TemporaryFileFactory _temporaryFiles;

    public EnvelopedDataReader(IReadOnlyList<PrivateKeyEntry> keys, TemporaryFileFactory temporaryFiles)
    {
        _keys = Guard.NotNull(keys);
        _temporaryFiles = Guard.NotNull(temporaryFiles);
    }

    public CmsDecryptResult Decrypt(CmsSource source, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        string? algorithm = null;
        Exception? lastFailure = null;
        var stream = source.Open();
        try
        {
            var parser = new CmsEnvelopedDataParser(stream);
            if (!ReadableAlgorithms.TryGetValue(parser.EncryptionAlgOid, out algorithm))
            {
                // RC2, single DES and anything unknown: refused like any other failure, but only when it was for us.
                algorithm = null;
            }

            var candidates = FindCandidates(parser);
            if (candidates.Count == 0)
            {
                return CmsDecryptResult.NotForUs(algorithm);
            }

            if (algorithm is null)
            {
                return CmsDecryptResult.Failed(null, new NotSupportedException("content encryption algorithm not accepted: " + parser.EncryptionAlgOid));
            }

            CmsEnvelopedDataParser? current = parser;
            foreach (var (index, key) in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (current is null)
                {
                    // The previous key consumed the content before it failed: parse again from the start.
                    stream.Dispose();
                    stream = source.Open();
                    current = new CmsEnvelopedDataParser(stream);
                }

                var recipient = current.GetRecipientInfos().GetRecipients().ElementAt(index);
                CmsTypedStream content;
                try
                {
                    // Unwraps the content key first: a wrong key usually fails here without touching the content.
                    content = recipient.GetContentStream(key.PrivateKey);
                }
                catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
                {
                    lastFailure = ex;
                    continue;
                }

                var plaintext = _temporaryFiles.Create();
                try
                {
                    Copy(content.ContentStream, plaintext, cancellationToken);
                    plaintext.Position = 0;
                    return CmsDecryptResult.Decrypted(plaintext, key, algorithm);
                }
                catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
                {
                    // Bad padding, truncation, a wrong key that unwrapped to garbage: delete what was written.
                    plaintext.Dispose();
                    lastFailure = ex;
                    current = null;
                }
            }

            return CmsDecryptResult.Failed(algorithm, lastFailure);
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return CmsDecryptResult.Failed(algorithm, ex);
        }
        finally
        {
            stream.Dispose();
        }
    }

    /// <summary>(RecipientInfo index, key) for every key-transport RecipientInfo that names a configured key.</summary>
    private List<(int Index, PrivateKeyEntry Key)> FindCandidates(CmsEnvelopedDataParser parser)
    {
        var candidates = new List<(int, PrivateKeyEntry)>();
        var index = 0;
        foreach (var recipient in parser.GetRecipientInfos().GetRecipients())
        {
            if (recipient is KeyTransRecipientInformation)
            {
                foreach (var key in _keys)
                {
                    if (recipient.RecipientID.Match(key.Certificate))
                    {
                        candidates.Add((index, key));
                    }
                }
            }

            index++;
        }

        return candidates;
    }

    private static void Copy(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            to.Write(buffer, 0, read);
        }

        to.Flush();
    }
}
