using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Exchange's conditions on what attachment inspection could and could not read. They let a rule protect what the
// engine could not look into: "encrypt what we could not inspect" instead of "let it out because no word matched".

/// <summary>AttachmentMatchesPatterns: the text of an attachment, or of a file inside one, matches one of the patterns.</summary>
internal sealed class AttachmentMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentMatchesPatternsCondition(PatternList patterns)
        : base("AttachmentMatchesPatterns", ConditionCost.DecodedContent)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Inspected(scope))
        {
            var found = Patterns.Find(file.Text);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
