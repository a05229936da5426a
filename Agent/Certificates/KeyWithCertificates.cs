using System.Collections.Generic;
using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>A private key with every certificate of the same source whose public key matches it.</summary>
internal sealed class KeyWithCertificates
{
    public KeyWithCertificates(AsymmetricKeyParameter privateKey, IReadOnlyList<BcCertificate> certificates, IReadOnlyList<BcCertificate> otherCertificates)
    {
        PrivateKey = privateKey;
        Certificates = certificates;
        OtherCertificates = otherCertificates;
    }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Certificates for this key (a renewed certificate may reuse the key).</summary>
    public IReadOnlyList<BcCertificate> Certificates { get; }

    /// <summary>The rest of the file (issuer chain), to build the chain sent with signatures.</summary>
    public IReadOnlyList<BcCertificate> OtherCertificates { get; }
}
