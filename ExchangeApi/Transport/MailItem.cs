using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Exchange.Data.Transport.Email;

namespace Microsoft.Exchange.Data.Transport;

// Exchange quirks the simulator reproduces: after source.Defer(...) every member throws
// InvalidOperationException("Message Deferred"); a write stream left open when the handler returns (or at Complete)
// restores the previous content and clears all recipients.
public abstract class MailItem
{
    internal MailItem()
    {
    }

    public abstract string OriginalAuthenticator { get; set; }

    public abstract DateTime DateTimeReceived { get; }

    public abstract string EnvelopeId { get; set; }

    // P1 MAIL FROM; RoutingAddress.NullReversePath for bounces.
    public abstract RoutingAddress FromAddress { get; set; }

    public abstract string OriginatingDomain { get; }

    public abstract EmailMessage Message { get; }

    public abstract long MimeStreamLength { get; }

    // Persisted extended properties: primitives, string, DateTime, Guid, IPAddress, RoutingAddress, arrays or List<> of
    // those; keys up to 255 characters.
    public abstract IDictionary<string, object> Properties { get; }

    public abstract EnvelopeRecipientCollection Recipients { get; }

    public abstract DsnFormatRequested DsnFormatRequested { get; set; }

    public abstract DeliveryPriority DeliveryPriority { get; set; }

    public abstract DeliveryMethod InboundDeliveryMethod { get; }

    public abstract bool MustDeliver { get; }

    public abstract Guid TenantId { get; }

    public abstract string OriginatorOrganization { get; set; }

    public abstract void SetMustDeliver();

    // Read-only, seekable. Null when the message is not exposed; throws while a write stream is open.
    public abstract Stream? GetMimeReadStream();

    // Write-only and forward-only (no Length, Position, Seek; no Write after Flush): replaces the whole message when
    // closed. Null when the message is not exposed; throws while another write stream is open.
    public abstract Stream? GetMimeWriteStream();
}
