using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RecipientAddressMatchesPatterns: the envelope recipient matches one of the patterns.</summary>
internal sealed class RecipientAddressMatchesPatternsCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public RecipientAddressMatchesPatternsCondition(PatternList patterns)
        : base("RecipientAddressMatchesPatterns")
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient) => Patterns.Find(recipient.Address);
}
