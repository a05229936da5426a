using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>MessageSizeOver: the whole message (as received) is larger than the value.</summary>
internal sealed class MessageSizeOverCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public MessageSizeOverCondition(long bytes)
        : base("MessageSizeOver", ConditionCost.Envelope)
    {
        Bytes = bytes;
    }

    /// <summary>The size in bytes.</summary>
    public long Bytes { get; }

    internal override string? Match(EvaluationScope scope)
        => scope.Message.Size > Bytes ? scope.Message.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
