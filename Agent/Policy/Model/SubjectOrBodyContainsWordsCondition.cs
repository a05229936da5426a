using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SubjectOrBodyContainsWords: the Subject or the decoded body text (HTML read as text).</summary>
internal sealed class SubjectOrBodyContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectOrBodyContainsWordsCondition(WordList words)
        : base("SubjectOrBodyContainsWords", ConditionCost.DecodedContent)
    {
        Words = Guard.NotNull(words);
    }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope)
        => Words.Find(scope.Message.Subject) ?? Words.Find(scope.Message.BodyText);
}
