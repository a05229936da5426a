using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>One configured organisation key.</summary>
internal sealed class OrganizationKey
{
    public OrganizationKey(string name, OrganizationKeyUsage usage, IReadOnlyList<PrivateKeyEntry> entries, IReadOnlyList<X509Certificate> recoveryCertificates)
    {
        Name = name;
        Usage = usage;
        Entries = entries;
        RecoveryCertificates = recoveryCertificates;
    }

    public string Name { get; }

    public OrganizationKeyUsage Usage { get; }

    /// <summary>Certificates with their private keys (Signing, Decryption).</summary>
    public IReadOnlyList<PrivateKeyEntry> Entries { get; }

    /// <summary>Certificates only (Recovery: the private key stays offline).</summary>
    public IReadOnlyList<X509Certificate> RecoveryCertificates { get; }
}
