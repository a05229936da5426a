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
public interface ICertificateDirectory
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

/// <summary>A certificate with its private key (and the chain to send with signatures).</summary>
public sealed class PrivateKeyEntry
{
    /// <summary>Creates an entry.</summary>
    public PrivateKeyEntry(string name, X509Certificate certificate, AsymmetricKeyParameter privateKey, IReadOnlyList<X509Certificate> chain)
    {
        Name = Guard.NotNull(name);
        Certificate = Guard.NotNull(certificate);
        PrivateKey = Guard.NotNull(privateKey);
        Chain = Guard.NotNull(chain);
    }

    /// <summary>The configured name, or the certificate subject for folder sources.</summary>
    public string Name { get; }

    /// <summary>The certificate.</summary>
    public X509Certificate Certificate { get; }

    /// <summary>The private key. Never logged.</summary>
    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Issuer chain (without the anchor), to include in signatures (RFC 8550 §2.3).</summary>
    public IReadOnlyList<X509Certificate> Chain { get; }
}

/// <summary>The result of an encryption-certificate lookup: a certificate, or why there is none.</summary>
public sealed class EncryptionCertificateLookup
{
    private EncryptionCertificateLookup(X509Certificate? certificate, CertificateTrust trust, bool isGateway, string? failure)
    {
        Certificate = certificate;
        Trust = trust;
        IsGateway = isGateway;
        FailureReason = failure;
    }

    /// <summary>The certificate, when found.</summary>
    public X509Certificate? Certificate { get; }

    /// <summary>How it became known.</summary>
    public CertificateTrust Trust { get; }

    /// <summary>True for a partner gateway (domain) certificate, false for a personal one.</summary>
    public bool IsGateway { get; }

    /// <summary>Why nothing usable was found (ASCII, safe for NDR text): "no certificate for x", "certificate ... expired".</summary>
    public string? FailureReason { get; }

    /// <summary>True when <see cref="Certificate"/> is set.</summary>
    public bool Found => Certificate is not null;

    /// <summary>A found certificate.</summary>
    public static EncryptionCertificateLookup Success(X509Certificate certificate, CertificateTrust trust, bool isGateway)
        => new(Guard.NotNull(certificate), trust, isGateway, null);

    /// <summary>Nothing usable.</summary>
    public static EncryptionCertificateLookup Failure(string reason) => new(null, CertificateTrust.Harvested, false, Guard.NotNull(reason));
}

/// <summary>The result of a signing-key lookup.</summary>
public sealed class SigningKeyLookup
{
    private SigningKeyLookup(PrivateKeyEntry? key, string? failure)
    {
        Key = key;
        FailureReason = failure;
    }

    /// <summary>The key, when found.</summary>
    public PrivateKeyEntry? Key { get; }

    /// <summary>Why nothing usable was found (ASCII).</summary>
    public string? FailureReason { get; }

    /// <summary>True when <see cref="Key"/> is set.</summary>
    public bool Found => Key is not null;

    /// <summary>A found key.</summary>
    public static SigningKeyLookup Success(PrivateKeyEntry key) => new(Guard.NotNull(key), null);

    /// <summary>Nothing usable.</summary>
    public static SigningKeyLookup Failure(string reason) => new(null, Guard.NotNull(reason));
}

/// <summary>What a certificate is about to be used for; decides the key-usage and EKU checks.</summary>
public enum CertificatePurpose
{
    /// <summary>Encrypt to it: keyEncipherment (RSA); EKU emailProtection or anyExtendedKeyUsage when present.</summary>
    Encryption,
    /// <summary>Sign with it: digitalSignature or nonRepudiation; EKU as above.</summary>
    Signing,
}

/// <summary>Why a certificate is not usable.</summary>
public enum CertificateProblem
{
    /// <summary>Usable.</summary>
    None,
    /// <summary>notBefore is in the future.</summary>
    NotYetValid,
    /// <summary>notAfter has passed.</summary>
    Expired,
    /// <summary>No chain to a configured trust anchor.</summary>
    Untrusted,
    /// <summary>Key usage does not allow the purpose.</summary>
    WrongKeyUsage,
    /// <summary>Extended key usage present without emailProtection or anyExtendedKeyUsage.</summary>
    WrongExtendedKeyUsage,
    /// <summary>Revoked by a CRL.</summary>
    Revoked,
    /// <summary>No CRL covers it and the policy treats unknown as unusable.</summary>
    RevocationUnknown,
    /// <summary>The certificate does not name the address it is used for.</summary>
    AddressMismatch,
    /// <summary>The key algorithm or size is not supported (RSA 2048–4096 only for now).</summary>
    UnsupportedKey,
}

/// <summary>The outcome of validating one certificate.</summary>
public sealed class CertificateValidationResult
{
    /// <summary>Usable.</summary>
    public static readonly CertificateValidationResult Valid = new(CertificateProblem.None, "valid");

    /// <summary>Creates a result.</summary>
    public CertificateValidationResult(CertificateProblem problem, string detail)
    {
        Problem = problem;
        Detail = Guard.NotNull(detail);
    }

    /// <summary>The first problem found, or None.</summary>
    public CertificateProblem Problem { get; }

    /// <summary>Human-readable, ASCII, no secrets.</summary>
    public string Detail { get; }

    /// <summary>True when usable.</summary>
    public bool IsValid => Problem == CertificateProblem.None;
}

/// <summary>Chain, validity, key usage, EKU and revocation checks against configured anchors only.</summary>
public interface ICertificateValidator
{
    /// <summary>
    /// Validates <paramref name="certificate"/> for <paramref name="purpose"/> at <paramref name="atUtc"/>.
    /// <paramref name="untrustedIntermediates"/> (for example certificates carried in a message) may help build the
    /// chain but are never anchors.
    /// </summary>
    CertificateValidationResult Validate(
        X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null);
}
