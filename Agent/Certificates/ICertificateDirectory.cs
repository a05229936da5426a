using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// Every certificate and key the policy configures, loaded and indexed once at policy load (never a store scan per
/// message), immutable, safe to share across threads. Lookups validate before they return.
/// </summary>
internal interface ICertificateDirectory
{
    /// <summary>Finds the newest valid certificate to encrypt to <paramref name="recipientAddress"/>.</summary>
    EncryptionCertificateLookup FindEncryptionCertificate(
        string recipientAddress, EncryptionCertificateKind kind, CertificateTrust minimumTrust, DateTime nowUtc);

    /// <summary>Finds a valid signing key for <paramref name="senderAddress"/>.</summary>
    SigningKeyLookup FindSigningKey(string senderAddress, SignerKind kind, string? organizationKeyName, DateTime nowUtc);

    /// <summary>The algorithms configured for <paramref name="recipientDomain"/> (defaults when none).</summary>
    PartnerSettings GetPartnerSettings(string recipientDomain);

    /// <summary>Recovery (escrow) certificates added to every encrypted copy; already validated for encryption.</summary>
    IReadOnlyList<X509Certificate> GetRecoveryCertificates(DateTime nowUtc);

    /// <summary>Private keys that may decrypt inbound mail: organisation decryption keys and escrowed personal keys.</summary>
    IReadOnlyList<PrivateKeyEntry> DecryptionKeys { get; }

    /// <summary>Validates certificates against the configured anchors, intermediates and CRLs.</summary>
    ICertificateValidator Validator { get; }
}
