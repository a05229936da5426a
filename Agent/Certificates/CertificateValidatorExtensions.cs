using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Validation for a given email address (RFC 8550 §3), over any <see cref="ICertificateValidator"/>.</summary>
internal static class CertificateValidatorExtensions
{
    /// <summary>
    /// <see cref="CertificateProblem.AddressMismatch"/> when the certificate names email addresses and
    /// <paramref name="address"/> is not among them (RFC 8550 §3: receivers MUST check From/Sender against the signer
    /// certificate); a certificate that names no address at all (a gateway certificate) is not a mismatch.
    /// Otherwise the result of <see cref="ICertificateValidator.Validate"/>.
    /// </summary>
    public static CertificateValidationResult ValidateForAddress(this ICertificateValidator validator, X509Certificate certificate,
        CertificatePurpose purpose, string address, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null)
    {
        Guard.NotNull(validator);
        Guard.NotNull(certificate);
        var named = CertificateNames.EmailAddresses(certificate);
        if (named.Count > 0 && !named.Contains(CertificateNames.NormalizeAddress(Guard.NotNull(address)), StringComparer.Ordinal))
        {
            return new CertificateValidationResult(CertificateProblem.AddressMismatch,
                $"certificate {CertificateNames.Describe(certificate)} does not name {CertificateNames.ToAscii(CertificateNames.NormalizeAddress(address))}");
        }

        return validator.Validate(certificate, purpose, atUtc, untrustedIntermediates);
    }
}
