using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>The step list a protective action falls back to, tried in order; the first that can be carried out wins.</summary>
public sealed class FallbackChain
{
    /// <summary>The chain used when a rule gives none: reject with 5.7.1 naming what was missing.</summary>
    public static readonly FallbackChain Default = new(new FallbackStep[] { new RejectFallback() });

    /// <summary>Creates a chain.</summary>
    public FallbackChain(IReadOnlyList<FallbackStep> steps)
    {
        Steps = Guard.NotNull(steps);
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<FallbackStep> Steps { get; }
}
