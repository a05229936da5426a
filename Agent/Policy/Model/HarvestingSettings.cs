using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Harvesting Enabled="false" Folder=".."/&gt;.</summary>
internal sealed class HarvestingSettings
{
    /// <summary>Off by default.</summary>
    public bool Enabled { get; init; }

    /// <summary>Folder harvested certificates are written to (relative to the policy file).</summary>
    public string? Folder { get; init; }
}
