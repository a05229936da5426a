using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>TEST DOUBLE of the certificate directory: only what the inbound engine uses (decryption keys, validator).</summary>
internal sealed class TestCertificateDirectory : ICertificateDirectory
{
    public TestCertificateDirectory(IReadOnlyList<PrivateKeyEntry> decryptionKeys, ICertificateValidator validator)
    {
        DecryptionKeys = decryptionKeys;
        Validator = validator;
    }

    public IReadOnlyList<PrivateKeyEntry> DecryptionKeys { get; }

    public ICertificateValidator Validator { get; }

    public EncryptionCertificateLookup FindEncryptionCertificate(string recipientAddress, EncryptionCertificateKind kind, CertificateTrust minimumTrust, DateTime nowUtc)
        => throw new NotSupportedException("not used inbound");

    public SigningKeyLookup FindSigningKey(string senderAddress, SignerKind kind, string? organizationKeyName, DateTime nowUtc)
        => throw new NotSupportedException("not used inbound");

    public PartnerSettings GetPartnerSettings(string recipientDomain) => new();

    public IReadOnlyList<X509Certificate> GetRecoveryCertificates(DateTime nowUtc) => Array.Empty<X509Certificate>();
}
