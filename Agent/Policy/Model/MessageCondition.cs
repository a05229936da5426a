using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>A condition on the message as a whole: it holds for every recipient or for none.</summary>
internal abstract class MessageCondition : PolicyCondition
{
    private protected MessageCondition(string name, ConditionCost cost)
        : base(name, cost)
    {
    }

    /// <summary>The value that made the condition hold, or null. May throw RegexMatchTimeoutException.</summary>
    internal abstract string? Match(EvaluationScope scope);
}
