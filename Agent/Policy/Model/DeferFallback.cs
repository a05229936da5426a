using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Defer the recipient's copy; Exchange retries later (until its message expiration).</summary>
public sealed class DeferFallback : FallbackStep
{
    /// <summary>How long until the retry.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMinutes(10);
}
