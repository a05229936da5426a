using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Exchange's conditions on what attachment inspection could and could not read. They let a rule protect what the
// engine could not look into: "encrypt what we could not inspect" instead of "let it out because no word matched".

/// <summary>AttachmentIsUnsupported: an attachment, or a file inside one, is of a type the engine cannot read text from.</summary>
internal sealed class AttachmentIsUnsupportedCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentIsUnsupportedCondition()
        : base("AttachmentIsUnsupported", ConditionCost.DecodedContent)
    {
    }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var inspection in AttachmentFiles.Inspections(scope))
        {
            if (inspection.Unsupported is { } path)
            {
                return path;
            }
        }

        return null;
    }
}
