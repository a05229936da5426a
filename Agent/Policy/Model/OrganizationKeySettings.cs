using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Key Name=".." Usage=".." ...source attributes/&gt;.</summary>
internal sealed class OrganizationKeySettings
{
    /// <summary>Unique name rules refer to.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>What the key is for.</summary>
    public OrganizationKeyUsage Usage { get; init; }

    /// <summary>Where certificate and key come from (Recovery needs only the certificate).</summary>
    public CertificateSource Source { get; init; } = new();
}
