using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Smime.Gcm;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Decrypts one encrypted S/MIME layer whatever its smime-type label says: the ContentInfo's own content type
/// (RFC 5652 §3) picks EnvelopedData (CBC) or AuthEnvelopedData (GCM). Everything else is a failure.
/// </summary>
internal sealed class CmsLayerDecryptor
{
    private readonly EnvelopedDataReader _enveloped;
    private readonly AuthEnvelopedDataReader _authEnveloped;

    public CmsLayerDecryptor(IReadOnlyList<PrivateKeyEntry> keys, TemporaryFileFactory temporaryFiles)
    {
        _enveloped = new EnvelopedDataReader(keys, temporaryFiles);
        _authEnveloped = new AuthEnvelopedDataReader(keys, temporaryFiles);
    }

    /// <summary>
    /// Decrypts the layer; <paramref name="authenticated"/> says whether its plaintext is integrity-protected
    /// (AuthEnvelopedData, RFC 5083) or malleable (EnvelopedData: CBC, whose plaintext an attacker can edit blindly).
    /// </summary>
    public CmsDecryptResult Decrypt(CmsSource source, CancellationToken cancellationToken, out bool authenticated)
    {
        authenticated = false;
        DerObjectIdentifier contentType;
        try
        {
            contentType = ReadContentType(source);
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return CmsDecryptResult.Failed(null, ex);
        }

        if (CmsObjectIdentifiers.EnvelopedData.Equals(contentType))
        {
            return _enveloped.Decrypt(source, cancellationToken);
        }

        if (CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentType))
        {
            authenticated = true;
            return _authEnveloped.Decrypt(source, cancellationToken);
        }

        return CmsDecryptResult.Failed(null, new InvalidDataException("not an encrypted CMS content type: " + contentType.Id));
    }

    /// <summary>The ContentInfo contentType, reading only the first few bytes.</summary>
    internal static DerObjectIdentifier ReadContentType(CmsSource source)
    {
        var parser = source.OpenParser(out var stream);
        using (stream)
        {
            var sequence = parser.ReadObject() as Asn1SequenceParser ?? throw new InvalidDataException("not a ContentInfo");
            // A ContentInfo whose first element is not an OBJECT IDENTIFIER parses with a null content type
            // (found by fuzzing: fuzz/corpus/smime/crash-contentinfo-without-type-*.eml).
            return new ContentInfoParser(sequence).ContentType ?? throw new InvalidDataException("a ContentInfo without a content type");
        }
    }
}
