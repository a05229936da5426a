using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SubjectMatchesPatterns.</summary>
internal sealed class SubjectMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectMatchesPatternsCondition(PatternList patterns)
        : base("SubjectMatchesPatterns", ConditionCost.Headers)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope) => Patterns.Find(scope.Message.Subject);
}
