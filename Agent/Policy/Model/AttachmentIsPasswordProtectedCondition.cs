using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Exchange's conditions on what attachment inspection could and could not read. They let a rule protect what the
// engine could not look into: "encrypt what we could not inspect" instead of "let it out because no word matched".

/// <summary>AttachmentIsPasswordProtected: an attachment, or a file inside one, is encrypted (zip entry, Office document, PDF).</summary>
internal sealed class AttachmentIsPasswordProtectedCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentIsPasswordProtectedCondition()
        : base("AttachmentIsPasswordProtected", ConditionCost.DecodedContent)
    {
    }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var inspection in AttachmentFiles.Inspections(scope))
        {
            if (inspection.PasswordProtected is { } path)
            {
                return path;
            }
        }

        return null;
    }
}
