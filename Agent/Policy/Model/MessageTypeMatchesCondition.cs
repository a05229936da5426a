using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>MessageTypeMatches: the message is one of the types.</summary>
internal sealed class MessageTypeMatchesCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public MessageTypeMatchesCondition(IReadOnlyList<MessageTypes> types)
        : base("MessageTypeMatches", ConditionCost.Headers)
    {
        Types = Guard.NotNull(types);
    }

    /// <summary>The types (OR); each a single flag.</summary>
    public IReadOnlyList<MessageTypes> Types { get; }

    internal override string? Match(EvaluationScope scope)
    {
        var actual = scope.Message.Types;
        foreach (var type in Types)
        {
            if ((actual & type) != 0)
            {
                return type.ToString();
            }
        }

        return null;
    }
}
