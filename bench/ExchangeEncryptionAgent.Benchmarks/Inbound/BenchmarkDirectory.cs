using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Benchmarks.Inbound;

/// <summary>
/// Stand-in directory for the benchmark (the real one belongs to another component): one decryption key and a
/// validator that checks the chain to the one root and the validity at the given time, as cheaply as the real one
/// would with a warm cache.
/// </summary>
internal sealed class BenchmarkDirectory : ICertificateDirectory, ICertificateValidator
{
    private readonly X509Certificate _root;

    public BenchmarkDirectory(PrivateKeyEntry key, X509Certificate root)
    {
        DecryptionKeys = new[] { key };
        _root = root;
    }

    public IReadOnlyList<PrivateKeyEntry> DecryptionKeys { get; }

    public ICertificateValidator Validator => this;

    public CertificateValidationResult Validate(X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null)
    {
        if (!certificate.IsValid(atUtc))
        {
            return new CertificateValidationResult(CertificateProblem.Expired, "expired");
        }

        try
        {
            certificate.Verify(_root.GetPublicKey());
            return CertificateValidationResult.Valid;
        }
        catch (Org.BouncyCastle.Security.InvalidKeyException)
        {
            return new CertificateValidationResult(CertificateProblem.Untrusted, "untrusted");
        }
        catch (Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            return new CertificateValidationResult(CertificateProblem.Untrusted, "untrusted");
        }
    }

    public EncryptionCertificateLookup FindEncryptionCertificate(string recipientAddress, EncryptionCertificateKind kind, CertificateTrust minimumTrust, DateTime nowUtc)
        => throw new NotSupportedException();

    public SigningKeyLookup FindSigningKey(string senderAddress, SignerKind kind, string? organizationKeyName, DateTime nowUtc)
        => throw new NotSupportedException();

    public PartnerSettings GetPartnerSettings(string recipientDomain) => new();

    public IReadOnlyList<X509Certificate> GetRecoveryCertificates(DateTime nowUtc) => Array.Empty<X509Certificate>();

}
