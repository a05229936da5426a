using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SubjectOrBodyMatchesPatterns.</summary>
internal sealed class SubjectOrBodyMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectOrBodyMatchesPatternsCondition(PatternList patterns)
        : base("SubjectOrBodyMatchesPatterns", ConditionCost.DecodedContent)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
        => Patterns.Find(scope.Message.Subject) ?? Patterns.Find(scope.Message.BodyText);
}
