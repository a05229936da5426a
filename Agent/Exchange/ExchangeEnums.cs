using System;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// Enum values compile into the agent as numbers, but Microsoft documents only names for most transport enums.
/// Comparing and creating them by name, resolved at run time against the real assembly, keeps the agent right
/// even if a numeric value differs from our stand-in.
/// </summary>
internal static class ExchangeEnums
{
#pragma warning disable CA2263 // Enum.Parse<T> does not exist on net48.
    private static readonly Lazy<DeliveryQueueDomain> UseRecipientDomainValue =
        new(() => (DeliveryQueueDomain)Enum.Parse(typeof(DeliveryQueueDomain), "UseRecipientDomain"));
#pragma warning restore CA2263

    /// <summary>DeliveryQueueDomain.UseRecipientDomain: pick the connector by the override, deliver to the recipient's MX.</summary>
    public static DeliveryQueueDomain UseRecipientDomain => UseRecipientDomainValue.Value;

    /// <summary>True for RecipientCategory.InSameOrganization, false for InDifferentOrganization, else null.</summary>
    public static bool? IsInternal(RecipientCategory category) => category.ToString() switch
    {
        "InSameOrganization" => true,
        "InDifferentOrganization" => false,
        _ => null,
    };

    /// <summary>True when the message was submitted from a mailbox on this organisation's servers.</summary>
    public static bool IsMailboxSubmission(DeliveryMethod method) => method.ToString() == "Mailbox";

    /// <summary>True when the message came from the pickup or replay folder of this server (DeliveryMethod.File).</summary>
    public static bool IsFileSubmission(DeliveryMethod method) => method.ToString() == "File";
}
