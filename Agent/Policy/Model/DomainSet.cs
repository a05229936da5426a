using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Domains matched exactly or as a parent domain: contoso.com matches contoso.com and mail.contoso.com.</summary>
internal sealed class DomainSet
{
    private readonly HashSet<string> _set;

    /// <summary>Creates the set.</summary>
    public DomainSet(IReadOnlyList<string> domains)
    {
        Values = Guard.NotNull(domains).Select(d => d.Trim().TrimEnd('.')).ToArray();
        _set = new HashSet<string>(Values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The domains as written.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Matches against a domain's suffixes (the domain itself first), precomputed once per address; returns the
    /// address's own domain (mail.contoso.com), which says more in a report than the configured parent.
    /// </summary>
    internal string? Find(IReadOnlyList<string> domainSuffixes)
    {
        for (var i = 0; i < domainSuffixes.Count; i++)
        {
            if (_set.Contains(domainSuffixes[i]))
            {
                return domainSuffixes[0];
            }
        }

        return null;
    }
}
