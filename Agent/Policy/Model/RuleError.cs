using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>A rule that could not be evaluated.</summary>
public sealed class RuleError
{
    /// <summary>Rule name.</summary>
    public string RuleName { get; init; } = string.Empty;

    /// <summary>What went wrong (for example a regex timeout).</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>True when the rule's RuleErrorAction is Defer.</summary>
    public bool Defers { get; init; }

    /// <summary>True when RuleErrorAction=Protect let the protective rule act as if the failed condition held.</summary>
    public bool AppliedProtectively { get; init; }
}
