using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>Everything one evaluation needs that depends on both the policy and the message; built once per Evaluate.</summary>
internal sealed class EvaluationScope
{
    public EvaluationScope(PolicySet policy, MessageContext message)
    {
        Policy = policy;
        Message = message;
        Settings = policy.Settings;
        var envelope = message.EnvelopeRecipients;
        var inputs = message.Envelope.Recipients;
        Recipients = new RecipientInfo[envelope.Count];
        for (var i = 0; i < envelope.Count; i++)
        {
            var isInternal = IsOrganizationDomain(envelope[i].DomainSuffixes);
            Recipients[i] = new RecipientInfo(i, inputs[i].Address, envelope[i], isInternal);
        }
    }

    public PolicySet Policy { get; }

    public PolicySettings Settings { get; }

    public MessageContext Message { get; }

    public RecipientInfo[] Recipients { get; }

    /// <summary>
    /// FromScope InOrganization: only the host's word (a mailbox, an authenticated submitter, the pickup folder). A From
    /// or MAIL FROM in the organisation's domain, the null reverse path or a subdomain prove nothing.
    /// </summary>
    public bool SenderIsInternal => Message.Envelope.SenderIsInternal;

    /// <summary>Where the sender is for FromScope: inside, or outside at a partner domain or elsewhere.</summary>
    public OrganizationScope SenderScope => ScopeOf(SenderIsInternal, Message.ScopeSender.DomainSuffixes);

    /// <summary>Where an address is, given whether it is inside: outside addresses are partners or not (ExternalPartner, ExternalNonPartner).</summary>
    public OrganizationScope ScopeOf(bool isInternal, IReadOnlyList<string> domainSuffixes)
        => isInternal ? OrganizationScope.InOrganization
            : Policy.PartnerDomains.Contains(domainSuffixes) ? OrganizationScope.ExternalPartner : OrganizationScope.ExternalNonPartner;

    /// <summary>
    /// A recipient's domain (given as its suffixes) is inside when it is, or is a subdomain of, a policy organisation
    /// domain, or matches one of the host's accepted domains: "contoso.com" itself, "*.contoso.com" contoso.com and
    /// every subdomain, "*" every domain (the host leaves ExternalRelay domains out).
    /// </summary>
    public bool IsOrganizationDomain(IReadOnlyList<string> domainSuffixes)
    {
        if (domainSuffixes.Count == 0)
        {
            return false;
        }

        var organization = Settings.OrganizationDomainSet;
        for (var i = 0; i < domainSuffixes.Count; i++)
        {
            if (organization.Contains(domainSuffixes[i]))
            {
                return true;
            }
        }

        var host = Message.Envelope.HostOrganizationDomains;
        for (var h = 0; h < host.Count; h++)
        {
            if (AcceptedDomainMatches(host[h], domainSuffixes))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AcceptedDomainMatches(string nameSpecification, IReadOnlyList<string> domainSuffixes)
    {
        var specification = nameSpecification.Trim().TrimEnd('.');
        if (specification == "*")
        {
            return true;
        }

        if (specification.StartsWith("*.", StringComparison.Ordinal))
        {
            var parent = specification.Substring(2);
            for (var i = 0; i < domainSuffixes.Count; i++)
            {
                if (string.Equals(domainSuffixes[i], parent, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        // A plain accepted domain is that domain only: Exchange does not accept its subdomains.
        return string.Equals(domainSuffixes[0], specification, StringComparison.OrdinalIgnoreCase);
    }
}
