using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeApi.Simulator;

// What arrives at the categorizer: MAIL FROM (may be "<>"), the recipients and the MIME content. The simulator spools the
// content into a temporary file at the start of a run, so a message of any size runs in bounded memory; content that
// already is a file (FromFile) is read where it lies instead, one copy of the message fewer.
public sealed class SimulatedMessage
{
    private readonly Func<Stream> _openContent;

    public SimulatedMessage(string fromAddress, IEnumerable<SimulatedRecipient> recipients, Func<Stream> openContent)
    {
        ArgumentNullException.ThrowIfNull(fromAddress);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(openContent);
        FromAddress = fromAddress;
        Recipients = recipients.ToArray();
        if (Recipients.Count == 0)
        {
            throw new ArgumentException("A message needs at least one recipient.", nameof(recipients));
        }

        _openContent = openContent;
    }

    public string FromAddress { get; }

    // MailItem.OriginalAuthenticator when a test names it: empty when nobody authenticated, "<>" for anonymous;
    // null: what the origin gives.
    public string? OriginalAuthenticator { get; init; }

    public IReadOnlyList<SimulatedRecipient> Recipients { get; }

    // How the message was submitted; null: Mailbox when the MAIL FROM domain is an accepted domain inside the
    // organisation, SmtpAnonymous otherwise.
    public SimulatedOrigin? Origin { get; init; }

    // How the message entered transport, when a test names it; null: what the origin gives. Mailbox (Outlook, OWA,
    // ActiveSync through the store driver) means the content is Summary-TNEF until content conversion (see SummaryTnef).
    public DeliveryMethod? InboundDeliveryMethod { get; init; }

    // The file is only ever read (every write stream goes to a new file of the run), so it must not change while the run lasts.
    public static SimulatedMessage FromFile(string fromAddress, IEnumerable<SimulatedRecipient> recipients, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new SimulatedMessage(fromAddress, recipients, () => File.OpenRead(path)) { ContentPath = Path.GetFullPath(path) };
    }

    // A file holding the content, read in place instead of spooled (FromFile sets it); null: spool what OpenContent gives.
    public string? ContentPath { get; init; }

    public static SimulatedMessage FromBytes(string fromAddress, IEnumerable<SimulatedRecipient> recipients, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var copy = (byte[])content.Clone();
        return new SimulatedMessage(fromAddress, recipients, () => new MemoryStream(copy, writable: false));
    }

    // Convenience for small test messages written inline; the text is encoded as UTF-8.
    public static SimulatedMessage FromText(string fromAddress, IEnumerable<SimulatedRecipient> recipients, string mime)
    {
        ArgumentNullException.ThrowIfNull(mime);
        return FromBytes(fromAddress, recipients, Encoding.UTF8.GetBytes(mime));
    }

    public Stream OpenContent() => _openContent() ?? throw new InvalidOperationException("The content factory returned null.");
}
