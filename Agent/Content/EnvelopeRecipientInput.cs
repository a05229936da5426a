using System;

namespace ExchangeEncryptionAgent.Content;

/// <summary>One envelope recipient.</summary>
public sealed class EnvelopeRecipientInput
{
    /// <summary>Creates a recipient; <paramref name="isInternal"/> is null when the host cannot tell.</summary>
    public EnvelopeRecipientInput(string address, bool? isInternal = null)
    {
        Address = Guard.NotNull(address);
        IsInternal = isInternal;
    }

    /// <summary>The SMTP address (RCPT TO).</summary>
    public string Address { get; }

    /// <summary>
    /// The host's hint (Exchange: RecipientCategory). Not used to decide: Exchange says InSameOrganization for
    /// ExternalRelay domains and Incoming or Unknown for everyone when mail comes from outside; the domain decides.
    /// </summary>
    public bool? IsInternal { get; }

    /// <inheritdoc />
    public override string ToString() => Address;
}
