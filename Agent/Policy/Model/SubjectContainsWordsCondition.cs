using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SubjectContainsWords.</summary>
internal sealed class SubjectContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectContainsWordsCondition(WordList words)
        : base("SubjectContainsWords", ConditionCost.Headers)
    {
        Words = Guard.NotNull(words);
    }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope) => Words.Find(scope.Message.Subject);
}
