using System;
using ExchangeEncryptionAgent.Smime.Gcm;
using ExchangeEncryptionAgent.Content.RawMime;
using Org.BouncyCastle.Asn1.Cms;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>Classifies an entity by its Content-Type (RFC 8551 §3.2), and by the CMS content type when smime-type is missing.</summary>
internal static class SmimeLayerClassifier
{
    public static SmimeLayerKind Classify(MimeSlice entity)
    {
        var contentType = entity.ContentType;
        if (contentType.IsMimeType("multipart", "signed"))
        {
            // Both the registered type and the x- form older clients (Outlook 2003, RFC 2311) still send.
            var protocol = contentType.Parameters["protocol"];
            return protocol is not null
                && (protocol.Equals("application/pkcs7-signature", StringComparison.OrdinalIgnoreCase)
                    || protocol.Equals("application/x-pkcs7-signature", StringComparison.OrdinalIgnoreCase))
                ? SmimeLayerKind.MultipartSigned
                : SmimeLayerKind.None;
        }

        var isPkcs7Mime = contentType.IsMimeType("application", "pkcs7-mime") || contentType.IsMimeType("application", "x-pkcs7-mime");
        var isP7mAttachment = contentType.IsMimeType("application", "octet-stream")
            && (contentType.Name ?? string.Empty).EndsWith(".p7m", StringComparison.OrdinalIgnoreCase);
        if (!isPkcs7Mime && !isP7mAttachment)
        {
            return SmimeLayerKind.None;
        }

        var smimeType = contentType.Parameters["smime-type"];
        if (smimeType is not null)
        {
            switch (smimeType.Trim().ToUpperInvariant())
            {
                case "ENVELOPED-DATA":
                case "AUTHENVELOPED-DATA":
                    return SmimeLayerKind.Encrypted;
                case "SIGNED-DATA":
                    return SmimeLayerKind.OpaqueSigned;
                case "COMPRESSED-DATA":
                case "CERTS-ONLY":
                    return SmimeLayerKind.NotProcessed;
                default:
                    break;
            }
        }

        // No smime-type (older clients, application/octet-stream .p7m) or an unknown one: the CMS says what it is.
        return Sniff(entity);
    }

    /// <summary>The decoded CMS of <paramref name="entity"/>'s body.</summary>
    public static CmsSource CmsOf(MimeSlice entity) => new(entity.OpenDecodedBody, entity.DecodedLengthBound);

    private static SmimeLayerKind Sniff(MimeSlice entity)
    {
        try
        {
            var contentType = CmsLayerDecryptor.ReadContentType(CmsOf(entity));
            if (CmsObjectIdentifiers.EnvelopedData.Equals(contentType) || CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentType))
            {
                return SmimeLayerKind.Encrypted;
            }

            if (CmsObjectIdentifiers.SignedData.Equals(contentType))
            {
                return SmimeLayerKind.OpaqueSigned;
            }

            return CmsObjectIdentifiers.CompressedData.Equals(contentType) ? SmimeLayerKind.NotProcessed : SmimeLayerKind.UnknownSmimeType;
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return SmimeLayerKind.UnknownSmimeType;
        }
    }
}
