using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tests.Smime.Support;

/// <summary>
/// TEST DOUBLE, not the production validator (another component): builds a chain only to the anchors it is given,
/// checks validity at the time asked, and key usage / EKU per purpose. No revocation. Enough to prove that the
/// inbound engine turns each validation outcome into the right verdict.
/// </summary>
internal sealed class TestCertificateValidator : ICertificateValidator
{
    private readonly IReadOnlyList<X509Certificate> _anchors;
    private readonly IReadOnlyList<X509Certificate> _intermediates;

    public TestCertificateValidator(IEnumerable<X509Certificate> anchors, IEnumerable<X509Certificate>? intermediates = null)
    {
        _anchors = anchors.ToList();
        _intermediates = (intermediates ?? Array.Empty<X509Certificate>()).ToList();
    }

    public int Calls { get; private set; }

    public DateTime? LastValidationTime { get; private set; }

    public CertificateValidationResult Validate(X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null)
    {
        Calls++;
        LastValidationTime = atUtc;
        var usage = CheckUsage(certificate, purpose);
        if (usage is not null)
        {
            return usage;
        }

        var pool = _intermediates.Concat(untrustedIntermediates ?? Array.Empty<X509Certificate>()).ToList();
        var current = certificate;
        for (var depth = 0; depth < 8; depth++)
        {
            if (!current.IsValid(atUtc))
            {
                return new CertificateValidationResult(
                    atUtc < current.NotBefore ? CertificateProblem.NotYetValid : CertificateProblem.Expired, $"{current.SubjectDN} not valid at {atUtc:O}");
            }

            if (_anchors.Any(a => a.Equals(current)))
            {
                return CertificateValidationResult.Valid;
            }

            var issuer = _anchors.FirstOrDefault(a => IsIssuer(a, current));
            if (issuer is not null)
            {
                return issuer.IsValid(atUtc)
                    ? CertificateValidationResult.Valid
                    : new CertificateValidationResult(CertificateProblem.Expired, "anchor expired");
            }

            // Carried or configured intermediates may extend the chain, never end it.
            var next = pool.FirstOrDefault(c => !c.Equals(current) && c.GetBasicConstraints() >= 0 && IsIssuer(c, current));
            if (next is null)
            {
                return new CertificateValidationResult(CertificateProblem.Untrusted, $"no chain from {certificate.SubjectDN} to a configured anchor");
            }

            current = next;
        }

        return new CertificateValidationResult(CertificateProblem.Untrusted, "chain too long");
    }

    private static bool IsIssuer(X509Certificate issuer, X509Certificate subject)
    {
        if (!issuer.SubjectDN.Equivalent(subject.IssuerDN))
        {
            return false;
        }

        try
        {
            subject.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static CertificateValidationResult? CheckUsage(X509Certificate certificate, CertificatePurpose purpose)
    {
        var keyUsage = certificate.GetKeyUsage();
        if (keyUsage is not null)
        {
            var fits = purpose == CertificatePurpose.Signing ? keyUsage[0] || keyUsage[1] : keyUsage[2];
            if (!fits)
            {
                return new CertificateValidationResult(CertificateProblem.WrongKeyUsage, "key usage");
            }
        }

        var eku = certificate.GetExtendedKeyUsage();
        if (eku is not null && !eku.Contains(KeyPurposeID.id_kp_emailProtection) && !eku.Contains(KeyPurposeID.AnyExtendedKeyUsage))
        {
            return new CertificateValidationResult(CertificateProblem.WrongExtendedKeyUsage, "extended key usage");
        }

        return null;
    }
}
