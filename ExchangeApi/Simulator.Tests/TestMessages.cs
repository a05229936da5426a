using System;
using System.Text;

namespace ExchangeApi.Simulator.Tests;

internal static class TestMessages
{
    public const string Sender = "alice@contoso.com";

    public static readonly SimulatedRecipient Bob = new("bob@contoso.com", IsInternal: true);

    public static readonly SimulatedRecipient Carol = new("carol@fabrikam.com", IsInternal: false);

    public static readonly SimulatedRecipient Dave = new("dave@northwind.example", IsInternal: false);

    public static readonly string PlainMime = Crlf(
        """
        From: alice@contoso.com
        To: bob@contoso.com, carol@fabrikam.com
        Subject: Quarterly report
        Message-ID: <report-1@contoso.com>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        The numbers are in.
        """);

    public static readonly string NonDeliveryReportMime = Crlf(
        """
        From: postmaster@fabrikam.com
        To: alice@contoso.com
        Subject: Undeliverable: Quarterly report
        Message-ID: <ndr-1@fabrikam.com>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
         boundary="report-boundary"

        --report-boundary
        Content-Type: text/plain

        Delivery has failed.
        --report-boundary
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.fabrikam.com

        Final-Recipient: rfc822; nobody@fabrikam.com
        Action: failed
        Status: 5.1.1
        --report-boundary--
        """);

    public static SimulatedMessage Plain(params SimulatedRecipient[] recipients) =>
        SimulatedMessage.FromText(Sender, recipients.Length == 0 ? [Bob, Carol] : recipients, PlainMime);

    public static SimulatedMessage WithContent(string mime, params SimulatedRecipient[] recipients) =>
        SimulatedMessage.FromText(Sender, recipients.Length == 0 ? [Bob, Carol] : recipients, Crlf(mime));

    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n").TrimEnd('\r', '\n') + "\r\n";

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    // Runs action and returns what it threw (null if nothing): lets a handler report a rule breach to the test
    // without crashing the simulated transport.
    public static Exception? Capture(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
