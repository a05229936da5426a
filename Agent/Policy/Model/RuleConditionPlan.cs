using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// A rule's conditions prepared for evaluation: message and recipient conditions apart, each ordered by cost
/// (envelope before headers before decoded content) so a cheap condition that fails spares the costly ones.
/// The order is stable, so evaluation stays deterministic.
/// </summary>
internal sealed class RuleConditionPlan
{
    public RuleConditionPlan(IReadOnlyList<PolicyCondition> conditions, IReadOnlyList<PolicyCondition> exceptions)
    {
        MessageConditions = conditions.OfType<MessageCondition>().OrderBy(c => c.Cost).ToArray();
        RecipientConditions = conditions.OfType<RecipientCondition>().OrderBy(c => c.Cost).ToArray();
        MessageExceptions = exceptions.OfType<MessageCondition>().OrderBy(c => c.Cost).ToArray();
        RecipientExceptions = exceptions.OfType<RecipientCondition>().OrderBy(c => c.Cost).ToArray();
    }

    public MessageCondition[] MessageConditions { get; }

    public RecipientCondition[] RecipientConditions { get; }

    public MessageCondition[] MessageExceptions { get; }

    public RecipientCondition[] RecipientExceptions { get; }
}
