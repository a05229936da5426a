using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>AttachmentSizeOver: an attachment's decoded size is greater than the value.</summary>
internal sealed class AttachmentSizeOverCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentSizeOverCondition(long bytes)
        : base("AttachmentSizeOver", ConditionCost.DecodedContent)
    {
        Bytes = bytes;
    }

    /// <summary>The size in bytes.</summary>
    public long Bytes { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var attachment in scope.Message.Attachments)
        {
            // The encoded size bounds the decoded one from above: skip decoding attachments that cannot be big enough.
            if (attachment.EncodedSize > Bytes && attachment.DecodedSize > Bytes)
            {
                return attachment.DecodedSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
