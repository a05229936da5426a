using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>AnyOfToCcHeader: one of the addresses is in the To or Cc header (a message condition, as in Exchange).</summary>
internal sealed class AnyOfToCcHeaderCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AnyOfToCcHeaderCondition(IReadOnlyList<string> addresses)
        : base("AnyOfToCcHeader", ConditionCost.Headers)
    {
        Addresses = new AddressSet(addresses);
    }

    /// <summary>The addresses (OR).</summary>
    public AddressSet Addresses { get; }

    internal override string? Match(EvaluationScope scope) => Addresses.FindInToOrCc(scope.Message);
}
