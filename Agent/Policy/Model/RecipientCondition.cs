using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>A condition on one envelope recipient: it selects recipients.</summary>
internal abstract class RecipientCondition : PolicyCondition
{
    private protected RecipientCondition(string name)
        : base(name, ConditionCost.Envelope)
    {
    }

    /// <summary>The value that made the condition hold for <paramref name="recipient"/>, or null.</summary>
    internal abstract string? Match(EvaluationScope scope, RecipientInfo recipient);
}
