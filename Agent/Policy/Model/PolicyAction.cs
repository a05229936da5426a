using System;

namespace ExchangeEncryptionAgent.Policy.Model;

// The actions a rule can take. The policy loader builds them from XML (element names in comments); the evaluator
// hands them per recipient to the processing pipeline, which carries them out. All immutable.

/// <summary>Base of every action. <see cref="RuleName"/> says which rule asked for it (for audit and logs).</summary>
public abstract class PolicyAction
{
    /// <summary>The rule that owns this action.</summary>
    public string RuleName { get; init; } = string.Empty;
}
