using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>One rule that matched.</summary>
public sealed class RuleMatch
{
    /// <summary>Rule name.</summary>
    public string RuleName { get; init; } = string.Empty;

    /// <summary>Enforce or Audit.</summary>
    public RuleMode Mode { get; init; }

    /// <summary>The recipients the rule selected.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = Array.Empty<string>();

    /// <summary>For each condition: its name and the value that matched.</summary>
    public IReadOnlyList<ConditionMatch> Conditions { get; init; } = Array.Empty<ConditionMatch>();
}
