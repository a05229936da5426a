using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;

namespace ExchangeEncryptionAgent.Tool.Pki;

/// <summary>What a generated certificate looks like. Used by `eea demo` and by the tests (never in production).</summary>
internal sealed class CertificateSpec
{
    /// <summary>Subject DN, for example "CN=Alice,O=Contoso". Do not put '/' in it (OpenSSL -subj splits on it).</summary>
    public string Subject { get; init; } = "CN=Test";

    /// <summary>rfc822Name entries of the subjectAltName.</summary>
    public IReadOnlyList<string> Emails { get; init; } = Array.Empty<string>();

    /// <summary>dNSName entries of the subjectAltName (gateway certificates).</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = Array.Empty<string>();

    /// <summary>Also put the first email as the emailAddress attribute of the subject DN.</summary>
    public bool EmailInSubject { get; init; }

    /// <summary>KeyUsage bits (Org.BouncyCastle.Asn1.X509.KeyUsage); null: no KeyUsage extension.</summary>
    public int? KeyUsage { get; init; } = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature | Org.BouncyCastle.Asn1.X509.KeyUsage.KeyEncipherment;

    /// <summary>Extended key usages; null: no EKU extension.</summary>
    public IReadOnlyList<DerObjectIdentifier>? ExtendedKeyUsages { get; init; } = new[] { KeyPurposeID.id_kp_emailProtection };

    /// <summary>Start of validity (UTC).</summary>
    public DateTime NotBefore { get; init; } = DateTime.UtcNow.AddDays(-1);

    /// <summary>End of validity (UTC).</summary>
    public DateTime NotAfter { get; init; } = DateTime.UtcNow.AddYears(2);

    /// <summary>A CA certificate (basicConstraints cA=true, keyCertSign|cRLSign).</summary>
    public bool IsCertificateAuthority { get; init; }

    /// <summary>Reuse this key pair (key generation is slow); null: generate one of <see cref="KeySize"/> bits.</summary>
    public AsymmetricCipherKeyPair? KeyPair { get; init; }

    /// <summary>RSA key size when a key is generated.</summary>
    public int KeySize { get; init; } = 2048;
}
