using System;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;ForcedTls AddressSpace=".." TlsDomain=".."/&gt;.</summary>
public sealed class ForcedTlsSettings
{
    /// <summary>The routing domain of the forced-TLS send connector (its SMTP address space).</summary>
    public string AddressSpace { get; init; } = string.Empty;

    /// <summary>Optional TLS domain the connector validates (documentation and install.ps1 only).</summary>
    public string? TlsDomain { get; init; }
}
