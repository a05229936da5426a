namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// The gateway's answer to the DATA Postfix sent: accepted (every copy and DSN is in Postfix's queue) or a
/// temporary failure (nothing is lost: Postfix keeps the message and retries).
/// </summary>
internal sealed record RelayOutcome(bool Accepted, string EnhancedStatusCode, string Text)
{
    public static RelayOutcome Done(string text) => new(true, "2.0.0", text);

    public static RelayOutcome TryAgain(string enhancedStatusCode, string text) => new(false, enhancedStatusCode, text);
}
