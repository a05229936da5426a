using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Exchange.Data.Transport;
using MimeKit;
using MimeKit.Tnef;

namespace ExchangeApi.Simulator;

// Summary-TNEF: how a message submitted from a mailbox travels through the categorizer until content conversion. The
// top-level body is application/ms-tnef (winmail.dat) holding body, attachments and MAPI properties; the outer headers
// are ordinary RFC 5322 headers. Content conversion (between OnRoutedMessage and OnCategorizedMessage) turns it into
// MIME for recipients that need MIME.
public static class SummaryTnef
{
    static SummaryTnef()
    {
        // TNEF bodies name Windows code pages; .NET (not .NET Framework) needs the provider registered to decode them.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    // A mailbox submission: the TNEF part of `mime` (a bare winmail.dat part anywhere in it, or already top-level) becomes
    // the top-level body, the outer headers stay.
    public static SimulatedMessage FromMailbox(string fromAddress, IEnumerable<SimulatedRecipient> recipients, byte[] mime)
    {
        ArgumentNullException.ThrowIfNull(mime);
        using var input = new MemoryStream(mime, writable: false);
        var message = MimeMessage.Load(input);
        var tnef = message.BodyParts.OfType<TnefPart>().FirstOrDefault()
            ?? throw new ArgumentException("The message has no application/ms-tnef part.", nameof(mime));
        message.Body = tnef;
        using var output = new MemoryStream();
        message.WriteTo(output);
        return new SimulatedMessage(fromAddress, recipients, output.ToArray().AsStreamFactory())
        {
            InboundDeliveryMethod = DeliveryMethod.Mailbox,
        };
    }

    // A mailbox submission built around a bare winmail.dat stream.
    public static SimulatedMessage FromWinmailDat(string fromAddress, IEnumerable<SimulatedRecipient> recipients, string subject, byte[] winmailDat)
    {
        ArgumentNullException.ThrowIfNull(winmailDat);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(fromAddress));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient.Address));
        }

        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("contoso.com");
        message.Body = new TnefPart { Content = new MimeContent(new MemoryStream(winmailDat, writable: false)), FileName = "winmail.dat" };
        using var output = new MemoryStream();
        message.WriteTo(output);
        return FromMailbox(fromAddress, recipients, output.ToArray());
    }

    internal static bool IsTnef(ContentFile content) => content.Facts.MediaType is "application/ms-tnef" or "application/vnd.ms-tnef";

    // Content conversion: the TNEF body becomes MIME (MimeKit's own conversion), the outer headers stay. Null when the
    // content is not Summary-TNEF.
    internal static ContentFile? Convert(ContentFile content, TempFileStore store)
    {
        if (!IsTnef(content))
        {
            return null;
        }

        MimeMessage message;
        using (var stream = content.OpenRead())
        {
            message = MimeMessage.Load(stream);
        }

        using (message)
        {
            if (message.Body is not TnefPart tnef)
            {
                return null;
            }

            using var converted = tnef.ConvertToMessage();
            message.Body = converted.Body;
            var path = store.NewFilePath();
            using (var output = File.Create(path))
            {
                message.WriteTo(FormatOptions.Default, output);
            }

            return new ContentFile(path, store);
        }
    }

    private static Func<Stream> AsStreamFactory(this byte[] bytes) => () => new MemoryStream(bytes, writable: false);
}
