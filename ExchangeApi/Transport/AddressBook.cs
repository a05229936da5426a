namespace Microsoft.Exchange.Data.Transport;

public abstract class AddressBook
{
    internal AddressBook()
    {
    }

    public abstract bool Contains(RoutingAddress address);

    public abstract bool IsInternal(RoutingAddress address);

    public abstract bool IsInternal(RoutingDomain domain);
}
