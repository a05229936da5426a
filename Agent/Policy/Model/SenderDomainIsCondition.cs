using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SenderDomainIs: the sender address's domain is one of the values or a subdomain of one.</summary>
internal sealed class SenderDomainIsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SenderDomainIsCondition(IReadOnlyList<string> domains, SenderAddressLocation location = SenderAddressLocation.Header)
        : base("SenderDomainIs", ConditionCost.Envelope)
    {
        Domains = new DomainSet(domains);
        AddressLocation = location;
    }

    /// <summary>The domains (OR; subdomains included).</summary>
    public DomainSet Domains { get; }

    /// <summary>Which sender address it reads (the rule's SenderAddressLocation).</summary>
    public SenderAddressLocation AddressLocation { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var sender in SenderAddresses.For(scope.Message, AddressLocation))
        {
            if (Domains.Find(sender.DomainSuffixes) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
