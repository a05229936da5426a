using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>The Enforce-mode actions that apply to one recipient, in rule-priority order.</summary>
public sealed class RecipientDecision
{
    /// <summary>The envelope address.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>Inside the organisation (host category or policy domains).</summary>
    public bool IsInternal { get; init; }

    /// <summary>Actions of every Enforce rule that selected this recipient, highest priority first.</summary>
    public IReadOnlyList<PolicyAction> Actions { get; init; } = Array.Empty<PolicyAction>();
}
