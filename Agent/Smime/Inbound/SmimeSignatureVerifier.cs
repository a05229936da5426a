using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Smime.Gcm;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Verifies S/MIME signatures (RFC 8551 §3.5) by the RFC 8550 rules, without any MimeKit context: the cryptographic
/// check over the exact signed bytes, then signer key usage and EKU, the From/Sender address, and the chain, which is
/// built only to configured anchors and judged at the time of receipt (never at the signer's own signingTime, which
/// the signer chooses). Certificates carried in the message only ever serve as intermediates.
/// </summary>
internal sealed class SmimeSignatureVerifier
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>RFC 8551 §2.1: SHA-256 and SHA-512 are MUST; SHA-224/384 are sound. MD5 and SHA-1 are historic.</summary>
    private static readonly HashSet<string> AcceptedDigests = new(StringComparer.Ordinal)
    {
        NistObjectIdentifiers.IdSha224.Id,
        NistObjectIdentifiers.IdSha256.Id,
        NistObjectIdentifiers.IdSha384.Id,
        NistObjectIdentifiers.IdSha512.Id,
    };

    private readonly ICertificateValidator _validator;
    private readonly DateTime _receivedUtc;

    public SmimeSignatureVerifier(ICertificateValidator validator, DateTime receivedUtc)
    {
        _validator = Guard.NotNull(validator);
        _receivedUtc = receivedUtc;
    }

    /// <summary>
    /// A detached signature (multipart/signed, RFC 1847): <paramref name="signedContent"/> is the first body part
    /// in canonical form, <paramref name="signature"/> the source of the decoded application/pkcs7-signature.
    /// </summary>
    public SignatureCheck VerifyDetached(Stream signedContent, CmsSource signature, IReadOnlyList<string> senderAddresses)
    {
        try
        {
            using var signatureStream = signature.Open();
            var parser = new CmsSignedDataParser(new CmsTypedStream(signedContent), signatureStream);
            parser.GetSignedContent().Drain();
            return CheckSigners(parser, senderAddresses);
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return SignatureCheck.Invalid(SignatureProblem.Malformed);
        }
    }

    /// <summary>
    /// Opaque signed-data (RFC 8551 §3.5.2): copies the encapsulated content to <paramref name="content"/> while it is
    /// hashed. Returns null when the CMS has no encapsulated content or cannot be read at all (the caller then
    /// treats the layer as malformed); checks the signers only when <paramref name="verify"/> is set.
    /// </summary>
    public SignatureCheck? VerifyEncapsulated(CmsSource source, Stream content, IReadOnlyList<string> senderAddresses, bool verify)
    {
        try
        {
            using var stream = source.Open();
            var parser = new CmsSignedDataParser(stream);
            var signedContent = parser.GetSignedContent();
            if (signedContent is null)
            {
                return null;
            }

            var buffer = new byte[ChunkSize];
            int read;
            while ((read = signedContent.ContentStream.Read(buffer, 0, buffer.Length)) > 0)
            {
                content.Write(buffer, 0, read);
            }

            content.Flush();
            content.Position = 0;
            return verify ? CheckSigners(parser, senderAddresses) : new SignatureCheck(SignatureStatus.None, SignatureProblem.None, null, null);
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return null;
        }
    }

    private SignatureCheck CheckSigners(CmsSignedDataParser parser, IReadOnlyList<string> senderAddresses)
    {
        var certificates = parser.GetCertificates().EnumerateMatches(null).ToList();
        SignatureCheck? best = null;
        foreach (var signer in parser.GetSignerInfos().GetSigners())
        {
            var check = CheckSigner(signer, certificates, senderAddresses);
            if (best is null || check.Rank > best.Rank)
            {
                best = check;
            }
        }

        // RFC 5652 §5.1 allows several signers; one valid signature is enough (RFC 8551 §3.5: receivers choose).
        return best ?? SignatureCheck.Invalid(SignatureProblem.Malformed);
    }

    private SignatureCheck CheckSigner(SignerInformation signer, IReadOnlyList<X509Certificate> certificates, IReadOnlyList<string> senderAddresses)
    {
        var certificate = certificates.FirstOrDefault(c => signer.SignerID.Match(c));
        if (certificate is null)
        {
            return new SignatureCheck(SignatureStatus.Untrusted, SignatureProblem.NoSignerCertificate, null, null);
        }

        var certificateAddresses = SignerCertificatePolicy.Addresses(certificate);
        var firstAddress = certificateAddresses.Count > 0 ? certificateAddresses[0] : null;
        if (!AcceptedDigests.Contains(signer.DigestAlgorithmID.Algorithm.Id))
        {
            return SignatureCheck.Invalid(SignatureProblem.WeakAlgorithm, firstAddress, certificate);
        }

        // The cryptographic check first: over the exact bytes, including the message-digest and content-type
        // attributes. The public key alone: Verify(X509Certificate) would judge validity at signingTime.
        bool signatureMatches;
        try
        {
            signatureMatches = signer.Verify(certificate.GetPublicKey());
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            signatureMatches = false;
        }

        if (!signatureMatches)
        {
            return SignatureCheck.Invalid(SignatureProblem.BadSignature, firstAddress, certificate);
        }

        var usage = SignerCertificatePolicy.CheckUsage(certificate);
        if (usage != SignatureProblem.None)
        {
            return SignatureCheck.Invalid(usage, firstAddress, certificate);
        }

        var matched = SignerCertificatePolicy.MatchSender(certificateAddresses, senderAddresses);
        if (matched is null)
        {
            return SignatureCheck.Invalid(SignatureProblem.AddressMismatch, firstAddress, certificate);
        }

        CertificateValidationResult validation;
        try
        {
            validation = _validator.Validate(certificate, CertificatePurpose.Signing, _receivedUtc, certificates);
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            validation = new CertificateValidationResult(CertificateProblem.Untrusted, "validation failed: " + ex.GetType().Name);
        }

        return validation.Problem switch
        {
            CertificateProblem.None => new SignatureCheck(SignatureStatus.Valid, SignatureProblem.None, matched, certificate),
            CertificateProblem.Untrusted => new SignatureCheck(SignatureStatus.Untrusted, SignatureProblem.UntrustedChain, matched, certificate),
            CertificateProblem.RevocationUnknown => new SignatureCheck(SignatureStatus.Untrusted, SignatureProblem.RevocationUnknown, matched, certificate),
            CertificateProblem.Expired => SignatureCheck.Invalid(SignatureProblem.Expired, matched, certificate),
            CertificateProblem.NotYetValid => SignatureCheck.Invalid(SignatureProblem.NotYetValid, matched, certificate),
            CertificateProblem.Revoked => SignatureCheck.Invalid(SignatureProblem.Revoked, matched, certificate),
            CertificateProblem.WrongKeyUsage => SignatureCheck.Invalid(SignatureProblem.KeyUsage, matched, certificate),
            CertificateProblem.WrongExtendedKeyUsage => SignatureCheck.Invalid(SignatureProblem.ExtendedKeyUsage, matched, certificate),
            CertificateProblem.AddressMismatch => SignatureCheck.Invalid(SignatureProblem.AddressMismatch, matched, certificate),
            _ => SignatureCheck.Invalid(SignatureProblem.UnsupportedKey, matched, certificate),
        };
    }
}
