using System.Collections.Generic;

namespace Microsoft.Exchange.Data.Transport;

public abstract class EnvelopeRecipient
{
    internal EnvelopeRecipient()
    {
    }

    public abstract RoutingAddress Address { get; set; }

    public abstract string OriginalRecipient { get; set; }

    public abstract DsnTypeRequested RequestedReports { get; set; }

    public abstract IDictionary<string, object> Properties { get; }

    public abstract DeliveryMethod OutboundDeliveryMethod { get; }

    public abstract RecipientCategory RecipientCategory { get; }
}
