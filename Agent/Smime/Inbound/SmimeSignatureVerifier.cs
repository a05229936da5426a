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
/// check over the exact signed bytes, then signer key usage and EKU, and the chain, which is built only to configured
/// anchors and judged at the time of receipt (never at the signer's own signingTime, which the signer chooses).
/// Certificates carried in the message only ever serve as intermediates. The checks come back unbound: the From
/// they must name is only known once the whole message has been walked (<see cref="SignatureCheck.BindTo"/>).
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
    public IReadOnlyList<SignatureCheck> VerifyDetached(Stream signedContent, CmsSource signature)
    {
        try
        {
            using var signatureStream = signature.Open();
            var parser = new CmsSignedDataParser(new CmsTypedStream(signedContent), signatureStream);
            parser.GetSignedContent().Drain();
            return CheckSigners(parser);
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return new[] { SignatureCheck.Invalid(SignatureProblem.Malformed) };
        }
    }

    /// <summary>
    /// Opaque signed-data (RFC 8551 §3.5.2): copies the encapsulated content to <paramref name="content"/> while it is
    /// hashed. Returns null when the CMS has no encapsulated content or cannot be read at all (the caller then
    /// treats the layer as malformed); checks the signers only when <paramref name="verify"/> is set.
    /// </summary>
    public IReadOnlyList<SignatureCheck>? VerifyEncapsulated(CmsSource source, Stream content, bool verify)
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
            return verify ? CheckSigners(parser) : Array.Empty<SignatureCheck>();
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return null;
        }
    }

    private List<SignatureCheck> CheckSigners(CmsSignedDataParser parser)
    {
        var certificates = parser.GetCertificates().EnumerateMatches(null).ToList();
        var checks = parser.GetSignerInfos().GetSigners().Select(signer => CheckSigner(signer, certificates)).ToList();
        if (checks.Count == 0)
        {
            checks.Add(SignatureCheck.Invalid(SignatureProblem.Malformed));
        }

        return checks;
    }

    private SignatureCheck CheckSigner(SignerInformation signer, IReadOnlyList<X509Certificate> certificates)
    {
        var certificate = certificates.FirstOrDefault(c => signer.SignerID.Match(c));
        if (certificate is null)
        {
            return new SignatureCheck(SignatureStatus.Untrusted, SignatureProblem.NoSignerCertificate, null, null);
        }

        var certificateAddresses = SignerCertificatePolicy.Addresses(certificate);
        if (!AcceptedDigests.Contains(signer.DigestAlgorithmID.Algorithm.Id))
        {
            return SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.WeakAlgorithm, certificate, certificateAddresses);
        }

        // The cryptographic check first: over the exact bytes, including the message-digest and content-type
        // attributes. The public key alone: Verify(X509Certificate) would judge validity at signingTime.
        bool signatureMatches;
        try
        {
            signatureMatches = signer.Verify(SignerPublicKeys.Of(certificate));
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            signatureMatches = false;
        }

        if (!signatureMatches)
        {
            return SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.BadSignature, certificate, certificateAddresses);
        }

        var usage = SignerCertificatePolicy.CheckUsage(certificate);
        if (usage != SignatureProblem.None)
        {
            return SignatureCheck.Unbound(SignatureStatus.Invalid, usage, certificate, certificateAddresses);
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
            CertificateProblem.None => SignatureCheck.Unbound(SignatureStatus.Valid, SignatureProblem.None, certificate, certificateAddresses),
            CertificateProblem.Untrusted => SignatureCheck.Unbound(SignatureStatus.Untrusted, SignatureProblem.UntrustedChain, certificate, certificateAddresses),
            CertificateProblem.RevocationUnknown => SignatureCheck.Unbound(SignatureStatus.Untrusted, SignatureProblem.RevocationUnknown, certificate, certificateAddresses),
            CertificateProblem.Expired => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.Expired, certificate, certificateAddresses),
            CertificateProblem.NotYetValid => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.NotYetValid, certificate, certificateAddresses),
            CertificateProblem.Revoked => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.Revoked, certificate, certificateAddresses),
            CertificateProblem.WrongKeyUsage => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.KeyUsage, certificate, certificateAddresses),
            CertificateProblem.WrongExtendedKeyUsage => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.ExtendedKeyUsage, certificate, certificateAddresses),
            CertificateProblem.AddressMismatch => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.AddressMismatch, certificate, certificateAddresses),
            _ => SignatureCheck.Unbound(SignatureStatus.Invalid, SignatureProblem.UnsupportedKey, certificate, certificateAddresses),
        };
    }
}
