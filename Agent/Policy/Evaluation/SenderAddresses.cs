using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>The sender addresses a sender condition compares, for a rule's <see cref="SenderAddressLocation"/>.</summary>
internal static class SenderAddresses
{
    /// <summary>
    /// The header From address, the MAIL FROM address, or both (header first), skipping empty ones: a message without
    /// a From header has no header sender, and the null reverse path (&lt;&gt;) has no envelope sender.
    /// </summary>
    public static IEnumerable<AddressInfo> For(MessageContext message, SenderAddressLocation location)
    {
        if (location != SenderAddressLocation.Envelope && message.HeaderSender.Address.Length > 0)
        {
            yield return message.HeaderSender;
        }

        if (location != SenderAddressLocation.Header && message.EnvelopeSender.Address.Length > 0)
        {
            yield return message.EnvelopeSender;
        }
    }
}
