using System;

namespace Microsoft.Exchange.Data.Transport;

// Members in the order of Microsoft's reference. Only DsnType and DsnTypeRequested have documented numeric values; the
// others are assumed to be declaration order. Enum values are compiled into the agent, so never persist them.

public enum DsnType
{
    Failure = 1,
    Expanded = 2,
}

[Flags]
public enum DsnTypeRequested
{
    NotSpecified = 0,
    Success = 1,
    Failure = 2,
    Delay = 4,
    Never = 8,
}

public enum DsnFormatRequested
{
    NotSpecified,
    Full,
    Headers,
}

public enum DeliveryMethod
{
    Unknown,
    File,
    Mailbox,
    Smtp,
    DeliveryAgent,
}

public enum DeliveryPriority
{
    High,
    Normal,
    Low,
    None,
}

public enum RecipientCategory
{
    Unknown,
    InSameOrganization,
    InDifferentOrganization,
    Incoming,
}

public enum DeliveryQueueDomain
{
    UseOverrideDomain,
    UseRecipientDomain,
    UseAlternateDeliveryRoutingHosts,
}
