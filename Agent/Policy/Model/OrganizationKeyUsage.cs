using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>What an organisation key is for.</summary>
internal enum OrganizationKeyUsage
{
    /// <summary>Signs outbound mail for the organisation.</summary>
    Signing,
    /// <summary>Decrypts inbound mail addressed to the organisation (gateway key).</summary>
    Decryption,
    /// <summary>Recovery (key escrow): its certificate is added to every encrypted copy; the private key stays offline.</summary>
    Recovery,
}
