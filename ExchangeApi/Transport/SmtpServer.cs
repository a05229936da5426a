using System;

namespace Microsoft.Exchange.Data.Transport;

// Exchange passes a clone to each CreateAgent call.
public abstract class SmtpServer
{
    internal SmtpServer()
    {
    }

    public abstract string Name { get; }

    public abstract Version Version { get; }

    public abstract AddressBook AddressBook { get; }

    public abstract AcceptedDomainCollection AcceptedDomains { get; }
}
