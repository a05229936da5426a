using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Processing;
using MimeKit;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// The DSN (RFC 3464: multipart/report; report-type=delivery-status) the gateway sends to the envelope sender for
/// the recipients the policy rejected. Postfix cannot return a per-recipient failure from an after-queue filter,
/// so the filter reports them itself, as Exchange does with its NDR, and delivers the other recipients.
/// </summary>
internal static class DeliveryStatusBuilder
{
    /// <summary>
    /// Writes the DSN for <paramref name="rejections"/> of the message in <paramref name="original"/> (its header
    /// block is returned as text/rfc822-headers, never its body: the content may be what the policy stopped).
    /// </summary>
    public static void Write(Stream destination, string reportingMta, string envelopeSender, IReadOnlyList<PlannedRejection> rejections, Stream original, DateTime arrivalUtc)
    {
        original.Position = 0;
        var headers = HeaderList.Load(original);
        var subject = headers[HeaderId.Subject];

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@" + reportingMta));
        message.To.Add(MailboxAddress.Parse(envelopeSender));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(reportingMta);
        message.Headers.Add("Auto-Submitted", "auto-replied");
        if (headers[HeaderId.MessageId] is { Length: > 0 } originalId)
        {
            message.InReplyTo = originalId;
        }

        var report = new MultipartReport("delivery-status");
        report.Add(new TextPart("plain") { Text = HumanReadable(reportingMta, subject, rejections) });

        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", "dns; " + reportingMta },
            { "Arrival-Date", MimeKit.Utils.DateUtils.FormatDate(new DateTimeOffset(arrivalUtc, TimeSpan.Zero)) },
        };
        status.StatusGroups.Add(perMessage);
        foreach (var rejection in rejections)
        {
            status.StatusGroups.Add(new HeaderList
            {
                { "Final-Recipient", "rfc822; " + rejection.Recipient },
                { "Action", "failed" },
                { "Status", rejection.EnhancedStatusCode },
                { "Diagnostic-Code", $"smtp; {rejection.StatusCode} {rejection.EnhancedStatusCode} {rejection.Reason}" },
            });
        }

        report.Add(status);

        using var headerBytes = new MemoryStream();
        headers.WriteTo(headerBytes);
        headerBytes.Position = 0;
        report.Add(new MimePart("text", "rfc822-headers")
        {
            Content = new MimeContent(new MemoryStream(headerBytes.ToArray())),
            ContentTransferEncoding = ContentEncoding.SevenBit,
        });
        message.Body = report;
        message.WriteTo(FormatOptions.Default, destination);
        destination.Flush();
        destination.Position = 0;
    }

    private static string HumanReadable(string reportingMta, string? subject, IReadOnlyList<PlannedRejection> rejections)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"This is the mail system at {reportingMta}.\n\n");
        text.Append("Your message");
        if (!string.IsNullOrEmpty(subject))
        {
            text.Append(CultureInfo.InvariantCulture, $" \"{AsciiText.Sanitize(subject, 200)}\"");
        }

        text.Append(" could not be delivered to the recipients below: the organisation's encryption policy does not allow it.\n");
        text.Append("Any other recipients of the message are not affected by this report.\n\n");
        foreach (var rejection in rejections.OrderBy(r => r.Recipient, StringComparer.OrdinalIgnoreCase))
        {
            text.Append(CultureInfo.InvariantCulture, $"<{rejection.Recipient}>: {rejection.EnhancedStatusCode} {rejection.Reason}\n");
        }

        return text.ToString();
    }
}
