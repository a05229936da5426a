namespace ExchangeEncryptionAgent.Processing;

/// <summary>What the agent does when it cannot follow the policy.</summary>
public enum FailureOutcome
{
    /// <summary>Defer the message; Exchange retries it later (fail closed). The default.</summary>
    Defer,
    /// <summary>INSECURE opt-in: let the message pass unchanged. A must-encrypt message would then leave in plain text.</summary>
    PassThroughInsecure,
}
