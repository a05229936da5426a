using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>
/// The policy's partner domains (&lt;Partners&gt;&lt;Partner Domain=".."/&gt;): what FromScope and SentToScope call
/// ExternalPartner. Exchange's partner domains are the ones the organisation set up secure exchange with; in this
/// policy they are the domains it lists as encryption partners. "contoso.com" is that domain only, "*.contoso.com"
/// every subdomain of it, as for the partner list itself.
/// </summary>
internal sealed class PartnerDomainSet
{
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _parents = new(StringComparer.OrdinalIgnoreCase);

    public PartnerDomainSet(IReadOnlyList<PartnerSettings> partners)
    {
        foreach (var partner in partners)
        {
            var domain = partner.Domain.Trim().TrimEnd('.');
            if (domain.StartsWith("*.", StringComparison.Ordinal))
            {
                _parents.Add(domain.Substring(2));
            }
            else if (domain.Length > 0)
            {
                _exact.Add(domain);
            }
        }
    }

    /// <summary>True when the domain (given as its suffixes, the domain itself first) is a partner domain.</summary>
    public bool Contains(IReadOnlyList<string> domainSuffixes)
    {
        if (domainSuffixes.Count == 0)
        {
            return false;
        }

        if (_exact.Contains(domainSuffixes[0]))
        {
            return true;
        }

        for (var i = 1; i < domainSuffixes.Count; i++)
        {
            if (_parents.Contains(domainSuffixes[i]))
            {
                return true;
            }
        }

        return false;
    }
}
