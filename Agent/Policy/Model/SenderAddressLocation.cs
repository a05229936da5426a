namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// Which sender address a rule's sender conditions (From, FromAddressMatchesPatterns, SenderDomainIs and their
/// ExceptIf twins) read; Exchange's rule property of the same name and values. One value per rule, so a rule never
/// mixes the header address with the envelope address.
/// </summary>
internal enum SenderAddressLocation
{
    /// <summary>The address in the From header only (Exchange's default).</summary>
    Header,
    /// <summary>The SMTP envelope sender (MAIL FROM) only.</summary>
    Envelope,
    /// <summary>Either: the condition holds when it holds for the header address or for the envelope address.</summary>
    HeaderOrEnvelope,
}
