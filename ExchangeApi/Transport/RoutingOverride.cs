using System;
using System.Collections.Generic;

namespace Microsoft.Exchange.Data.Transport;

public class RoutingOverride
{
    public RoutingOverride(RoutingDomain routingDomain, DeliveryQueueDomain deliveryQueueDomain)
        : this(routingDomain, (List<RoutingHost>?)null, deliveryQueueDomain)
    {
    }

    public RoutingOverride(RoutingDomain routingDomain, RoutingHost alternateDeliveryRoutingHost, DeliveryQueueDomain deliveryQueueDomain)
        : this(routingDomain, alternateDeliveryRoutingHost is null ? null : new List<RoutingHost> { alternateDeliveryRoutingHost }, deliveryQueueDomain)
    {
    }

    public RoutingOverride(RoutingDomain routingDomain, List<RoutingHost>? alternateDeliveryRoutingHosts, DeliveryQueueDomain deliveryQueueDomain)
    {
        if (routingDomain.Equals(RoutingDomain.Empty))
        {
            throw new ArgumentException("The routing domain must not be empty.", nameof(routingDomain));
        }

        var hasHosts = alternateDeliveryRoutingHosts is { Count: > 0 };
        if (deliveryQueueDomain == DeliveryQueueDomain.UseAlternateDeliveryRoutingHosts && !hasHosts)
        {
            throw new ArgumentException("UseAlternateDeliveryRoutingHosts requires at least one alternate delivery routing host.", nameof(alternateDeliveryRoutingHosts));
        }

        if (hasHosts && !routingDomain.IsSmtp())
        {
            throw new ArgumentException("Alternate delivery routing hosts require an SMTP routing domain.", nameof(routingDomain));
        }

        RoutingDomain = routingDomain;
        AlternateDeliveryRoutingHosts = alternateDeliveryRoutingHosts;
        DeliveryQueueDomain = deliveryQueueDomain;
    }

    public RoutingDomain RoutingDomain { get; }

    public List<RoutingHost>? AlternateDeliveryRoutingHosts { get; }

    public DeliveryQueueDomain DeliveryQueueDomain { get; }
}
