using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>From: the sender address (which one: the rule's SenderAddressLocation) is one of the values.</summary>
internal sealed class FromCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public FromCondition(IReadOnlyList<string> addresses, SenderAddressLocation location = SenderAddressLocation.Header)
        : base("From", ConditionCost.Envelope)
    {
        Addresses = new AddressSet(addresses);
        AddressLocation = location;
    }

    /// <summary>The addresses (OR).</summary>
    public AddressSet Addresses { get; }

    /// <summary>Which sender address it reads (the rule's SenderAddressLocation).</summary>
    public SenderAddressLocation AddressLocation { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var sender in SenderAddresses.For(scope.Message, AddressLocation))
        {
            if (Addresses.Find(sender.Address) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
