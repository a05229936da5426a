using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>AttachmentNameMatchesPatterns: the name of an attachment, or of a file inside an archive or attached message, matches one of the patterns.</summary>
internal sealed class AttachmentNameMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentNameMatchesPatternsCondition(PatternList patterns)
        : base("AttachmentNameMatchesPatterns", ConditionCost.Structure)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Names(scope))
        {
            var found = Patterns.Find(file.Name);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
