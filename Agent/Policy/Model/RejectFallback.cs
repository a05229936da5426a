using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>NDR the recipient.</summary>
public sealed class RejectFallback : FallbackStep
{
    /// <summary>5.7.1 or 5.7.900–5.7.999.</summary>
    public string EnhancedStatusCode { get; init; } = "5.7.1";

    /// <summary>Reason text; null: a reason naming the missing certificate or key is generated.</summary>
    public string? Reason { get; init; }
}
