using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RecipientDomainIs: the recipient's domain is one of the values or a subdomain of one.</summary>
internal sealed class RecipientDomainIsCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public RecipientDomainIsCondition(IReadOnlyList<string> domains)
        : base("RecipientDomainIs")
    {
        Domains = new DomainSet(domains);
    }

    /// <summary>The domains (OR; subdomains included).</summary>
    public DomainSet Domains { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient) => Domains.Find(recipient.DomainSuffixes);
}
