using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Conditions, named after Exchange mail flow rule predicates. Each element in <Conditions> has an ExceptIf twin in
// <Exceptions> with identical syntax; the model is the same class, and the rule keeps the two lists apart.
// Message conditions look at the message once; recipient conditions select recipients, and the rule's actions apply
// only to the recipients they select (Exchange forks the message per recipient set the same way).
// A condition that cannot be evaluated (the MIME did not parse, the header is absent) does not match.
// Each condition has its own file, named after it.

/// <summary>Base of every condition.</summary>
internal abstract class PolicyCondition
{
    private protected PolicyCondition(string name, ConditionCost cost)
    {
        Name = name;
        Cost = cost;
    }

    /// <summary>The condition element name without the ExceptIf prefix (for example SubjectContainsWords).</summary>
    public string Name { get; }

    /// <summary>Where the condition is declared (file:line:col).</summary>
    public string Location { get; init; } = string.Empty;

    /// <summary>How much it costs to evaluate; the evaluator tries cheap conditions first.</summary>
    internal ConditionCost Cost { get; }
}
