using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeApi.Simulator;

// SmtpServer as a routing agent sees it: name, version, address book and accepted domains from the options.
internal sealed class SimulatedSmtpServer(string name, Version version, AddressBook addressBook, AcceptedDomainCollection acceptedDomains)
    : SmtpServer
{
    public override string Name => name;

    public override Version Version => version;

    public override AddressBook AddressBook => addressBook;

    public override AcceptedDomainCollection AcceptedDomains => acceptedDomains;
}

internal sealed class SimulatedAcceptedDomain(string nameSpecification, bool isInCorporation = true) : AcceptedDomain
{
    public override bool IsInCorporation => isInCorporation;

    public override bool UseAddressBook => true;

    public override string NameSpecification => nameSpecification;

    public override Guid TenantId => Guid.Empty;

    // "contoso.com" matches itself; "*.contoso.com" matches contoso.com and every subdomain; "*" matches every domain.
    public bool Matches(string domain)
    {
        if (nameSpecification == "*")
        {
            return true;
        }

        if (nameSpecification.StartsWith("*.", StringComparison.Ordinal))
        {
            var parent = nameSpecification[2..];
            return string.Equals(domain, parent, StringComparison.OrdinalIgnoreCase)
                || domain.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(domain, nameSpecification, StringComparison.OrdinalIgnoreCase);
    }
}

internal sealed class SimulatedAcceptedDomainCollection(IEnumerable<string> domains, IEnumerable<string>? externalRelayDomains = null)
    : AcceptedDomainCollection
{
    // The most specific match wins, as in Exchange: an ExternalRelay "partner.contoso.com" beats "*.contoso.com" and "*".
    private readonly SimulatedAcceptedDomain[] _domains = domains.Select(d => new SimulatedAcceptedDomain(d))
        .Concat((externalRelayDomains ?? []).Select(d => new SimulatedAcceptedDomain(d, isInCorporation: false)))
        .OrderByDescending(d => d.NameSpecification == "*" ? -1 : d.NameSpecification.StartsWith("*.", StringComparison.Ordinal) ? d.NameSpecification.Length - 2 : d.NameSpecification.Length + 1)
        .ToArray();

    public override AcceptedDomain? Find(string domainName) =>
        string.IsNullOrEmpty(domainName) ? null : _domains.FirstOrDefault(d => d.Matches(domainName));

    public override IEnumerator<AcceptedDomain> GetEnumerator() => ((IEnumerable<AcceptedDomain>)_domains).GetEnumerator();
}

// Internal = in an accepted domain, or declared internal on the simulated message. Contains = a declared internal
// recipient (the directory knows mailboxes, not domains).
internal sealed class SimulatedAddressBook(AcceptedDomainCollection acceptedDomains, IEnumerable<string> internalAddresses) : AddressBook
{
    private readonly HashSet<string> _internalAddresses = new(internalAddresses, StringComparer.OrdinalIgnoreCase);

    public override bool Contains(RoutingAddress address) => _internalAddresses.Contains(address.ToString());

    public override bool IsInternal(RoutingAddress address) =>
        _internalAddresses.Contains(address.ToString()) || acceptedDomains.Find(address) is { IsInCorporation: true };

    public override bool IsInternal(RoutingDomain domain) => acceptedDomains.Find(domain.Domain) is { IsInCorporation: true };
}
