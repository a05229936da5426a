namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Where a message came from, as the gateway's configuration says (the listener Postfix handed it to), never as
/// its headers or envelope claim: anyone on the Internet can write an organisation address into MAIL FROM.
/// </summary>
internal enum GatewayOrigin
{
    /// <summary>Submitted inside the organisation (the Microsoft 365 tenant's outbound connector, internal relays).</summary>
    Inside,

    /// <summary>From the Internet: an anonymous sender, never inside, whatever address it uses.</summary>
    Internet,
}
