using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Whose key signs.</summary>
public enum SignerKind
{
    /// <summary>The organisation's signing key (the gateway signs for the organisation).</summary>
    Organization,
    /// <summary>The sender's own key from a configured source.</summary>
    Sender,
    /// <summary>The sender's own key when there is one, else the organisation's.</summary>
    SenderOrOrganization,
}
