using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Exchange's conditions on what attachment inspection could and could not read. They let a rule protect what the
// engine could not look into: "encrypt what we could not inspect" instead of "let it out because no word matched".

/// <summary>AttachmentMatchesPatterns: the text of an attachment, or of a file inside one, matches one of the patterns.</summary>
public sealed class AttachmentMatchesPatternsCondition : MessageCondition
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

/// <summary>AttachmentIsUnsupported: an attachment, or a file inside one, is of a type the engine cannot read text from.</summary>
public sealed class AttachmentIsUnsupportedCondition : MessageCondition
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

/// <summary>AttachmentIsPasswordProtected: an attachment, or a file inside one, is encrypted (zip entry, Office document, PDF).</summary>
public sealed class AttachmentIsPasswordProtectedCondition : MessageCondition
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

/// <summary>
/// AttachmentProcessingLimitExceeded: inspection of an attachment did not complete (nesting, size, file count or time
/// bound; content no reader could parse), or the MIME tree itself was deeper than the engine reads.
/// </summary>
public sealed class AttachmentProcessingLimitExceededCondition : MessageCondition
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
