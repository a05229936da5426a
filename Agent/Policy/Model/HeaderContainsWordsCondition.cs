using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>HeaderContainsWords: a header (every instance) contains one of the words.</summary>
internal sealed class HeaderContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public HeaderContainsWordsCondition(string header, WordList words)
        : base("HeaderContainsWords", ConditionCost.Headers)
    {
        Header = Guard.NotNull(header);
        Words = Guard.NotNull(words);
    }

    /// <summary>The header field name.</summary>
    public string Header { get; }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var value in scope.Message.GetHeaderValues(Header))
        {
            var found = Words.Find(value);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
