using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

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
