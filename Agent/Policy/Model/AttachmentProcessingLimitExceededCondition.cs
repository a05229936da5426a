using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Exchange's conditions on what attachment inspection could and could not read. They let a rule protect what the
// engine could not look into: "encrypt what we could not inspect" instead of "let it out because no word matched".

/// <summary>
/// AttachmentProcessingLimitExceeded: inspection of an attachment did not complete (nesting, size, file count or time
/// bound; content no reader could parse), or the MIME tree itself was deeper than the engine reads.
/// </summary>
internal sealed class AttachmentProcessingLimitExceededCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentProcessingLimitExceededCondition()
        : base("AttachmentProcessingLimitExceeded", ConditionCost.DecodedContent)
    {
    }

    internal override string? Match(EvaluationScope scope)
    {
        if (scope.Message.NestingLimitReached)
        {
            return $"MIME nested deeper than {MessageContextLimits.MaxMimeDepth} levels";
        }

        foreach (var attachment in scope.Message.Attachments)
        {
            var inspection = attachment.Inspect(scope.Settings.AttachmentScanLimitBytes);
            if (inspection.LimitExceeded is { } reason)
            {
                return (attachment.FileName ?? attachment.ContentType) + ": " + reason;
            }
        }

        return null;
    }
}
