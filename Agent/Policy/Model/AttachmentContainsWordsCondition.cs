using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>AttachmentContainsWords: the text of an attachment, or of a file inside one, contains one of the words (first AttachmentScanLimit characters of each).</summary>
internal sealed class AttachmentContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentContainsWordsCondition(WordList words)
        : base("AttachmentContainsWords", ConditionCost.DecodedContent)
    {
        Words = Guard.NotNull(words);
    }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Inspected(scope))
        {
            var found = Words.Find(file.Text);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
