using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Chain, validity, key usage, EKU and revocation checks against configured anchors only.</summary>
internal interface ICertificateValidator
{
    /// <summary>
    /// Validates <paramref name="certificate"/> for <paramref name="purpose"/> at <paramref name="atUtc"/>.
    /// <paramref name="untrustedIntermediates"/> (for example certificates carried in a message) may help build the
    /// chain but are never anchors.
    /// </summary>
    CertificateValidationResult Validate(
        X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null);
}
