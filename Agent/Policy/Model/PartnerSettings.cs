using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Partner Domain=".." ContentEncryption=".." KeyTransport=".."/&gt;.</summary>
internal sealed class PartnerSettings
{
    /// <summary>The partner's domain (exact; "*.example.com" matches subdomains).</summary>
    public string Domain { get; init; } = string.Empty;

    /// <summary>Content encryption this partner reads.</summary>
    public ContentEncryptionAlgorithm ContentEncryption { get; init; } = ContentEncryptionAlgorithm.Aes256Cbc;

    /// <summary>Key transport this partner reads.</summary>
    public KeyTransportAlgorithm KeyTransport { get; init; } = KeyTransportAlgorithm.RsaPkcs1;
}
