using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Rule&gt;. The policy engineer completes conditions, exceptions, mode, dates.</summary>
public sealed class PolicyRule
{
    /// <summary>Unique name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Unique priority; 0 is evaluated first.</summary>
    public int Priority { get; init; }

    /// <summary>The actions, in document order.</summary>
    public IReadOnlyList<PolicyAction> Actions { get; init; } = new List<PolicyAction>();
}
