using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SentTo: the envelope recipient is one of the values.</summary>
internal sealed class SentToCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public SentToCondition(IReadOnlyList<string> addresses)
        : base("SentTo")
    {
        Addresses = new AddressSet(addresses);
    }

    /// <summary>The addresses (OR).</summary>
    public AddressSet Addresses { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient) => Addresses.Find(recipient.Address);
}
