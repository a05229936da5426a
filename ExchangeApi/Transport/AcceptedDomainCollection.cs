using System.Collections;
using System.Collections.Generic;

namespace Microsoft.Exchange.Data.Transport;

public abstract class AcceptedDomainCollection : IEnumerable<AcceptedDomain>
{
    internal AcceptedDomainCollection()
    {
    }

    // Null when the address's domain is not accepted (what "external" means to most agents).
    public AcceptedDomain? Find(RoutingAddress address)
    {
        var domain = address.DomainPart;
        return domain is null ? null : Find(domain);
    }

    public abstract AcceptedDomain? Find(string domainName);

    public abstract IEnumerator<AcceptedDomain> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
