using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>Everything one evaluation needs that depends on both the policy and the message; built once per Evaluate.</summary>
internal sealed class EvaluationScope
{
    private bool? _senderIsInternal;

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
            var isInternal = inputs[i].IsInternal ?? IsOrganizationDomain(envelope[i].DomainSuffixes);
            Recipients[i] = new RecipientInfo(i, inputs[i].Address, envelope[i], isInternal);
        }
    }

    public PolicySet Policy { get; }

    public PolicySettings Settings { get; }

    public MessageContext Message { get; }

    public RecipientInfo[] Recipients { get; }

    /// <summary>
    /// FromScope InOrganization: the host's word when it has one (a From domain alone proves nothing: anyone can
    /// write it), else whether the MAIL FROM (or, for the null reverse path, the header From) domain is ours.
    /// </summary>
    public bool SenderIsInternal
        => _senderIsInternal ??= Message.Envelope.SenderIsInternal ?? IsOrganizationDomain(Message.ScopeSender.DomainSuffixes);

    /// <summary>Where the sender is for FromScope: inside, or outside at a partner domain or elsewhere.</summary>
    public OrganizationScope SenderScope => ScopeOf(SenderIsInternal, Message.ScopeSender.DomainSuffixes);

    /// <summary>Where an address is, given whether it is inside: outside addresses are partners or not (ExternalPartner, ExternalNonPartner).</summary>
    public OrganizationScope ScopeOf(bool isInternal, IReadOnlyList<string> domainSuffixes)
        => isInternal ? OrganizationScope.InOrganization
            : Policy.PartnerDomains.Contains(domainSuffixes) ? OrganizationScope.ExternalPartner : OrganizationScope.ExternalNonPartner;

    /// <summary>
    /// True when the domain (given as its suffixes) is, or is a subdomain of, a policy organisation domain or a host
    /// accepted domain.
    /// </summary>
    public bool IsOrganizationDomain(IReadOnlyList<string> domainSuffixes)
    {
        if (domainSuffixes.Count == 0)
        {
            return false;
        }

        var organization = Settings.OrganizationDomainSet;
        var host = Message.Envelope.HostOrganizationDomains;
        for (var i = 0; i < domainSuffixes.Count; i++)
        {
            var suffix = domainSuffixes[i];
            if (organization.Contains(suffix))
            {
                return true;
            }

            for (var h = 0; h < host.Count; h++)
            {
                if (string.Equals(host[h].TrimEnd('.'), suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>One envelope recipient during an evaluation.</summary>
internal sealed class RecipientInfo
{
    public RecipientInfo(int index, string envelopeAddress, AddressInfo address, bool isInternal)
    {
        Index = index;
        EnvelopeAddress = envelopeAddress;
        Address = address.Address;
        DomainSuffixes = address.DomainSuffixes;
        IsInternal = isInternal;
    }

    public int Index { get; }

    /// <summary>The address as the host gave it (reported in decisions).</summary>
    public string EnvelopeAddress { get; }

    /// <summary>The address without angle brackets or surrounding space (what conditions compare).</summary>
    public string Address { get; }

    public IReadOnlyList<string> DomainSuffixes { get; }

    public bool IsInternal { get; }
}
