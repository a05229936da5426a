using System;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;
using ExchangeEncryptionAgent.Diagnostics;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The lab switch (AgentSettings Diagnostics): what Exchange tells the agent at each event, so an administrator can
/// confirm on a test server what the design assumes (shared evidence note, docs/operations.md "First day on a lab
/// server"). Never message content: the top-level media type only, no subject, no body, no addresses but domains.
/// </summary>
internal static class EventDiagnostics
{
    private const int MaxRecipientsListed = 50;

    public static void Write(IAgentLog log, MessageStage stage, MailItem mailItem)
    {
        try
        {
            log.Write(EventIds.EventDiagnostics, Describe(stage, mailItem));
        }
#pragma warning disable CA1031 // Diagnostics must never change what happens to the message.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            try
            {
                log.Write(EventIds.EventDiagnostics, $"{EventName(stage)}: diagnostics unavailable ({ex.GetType().Name}).");
            }
#pragma warning disable CA1031 // Nothing is left to report to.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    internal static string Describe(MessageStage stage, MailItem mailItem)
    {
        var authenticator = mailItem.OriginalAuthenticator;
        var authenticatorKind = string.IsNullOrEmpty(authenticator) ? "empty" : authenticator == "<>" ? "<> (anonymous)" : "other";
        var recipients = mailItem.Recipients.Cast<EnvelopeRecipient>().ToList();
        var categories = string.Join(", ", recipients.Take(MaxRecipientsListed)
            .Select(r => $"@{r.Address.DomainPart}={r.RecipientCategory}"));
        if (recipients.Count > MaxRecipientsListed)
        {
            categories += $", ... ({recipients.Count} recipients)";
        }

        return $"{EventName(stage)} message {FailSafe.Describe(mailItem)}: Content-Type {TopContentType(mailItem)}; "
            + $"TnefPart {(mailItem.Message?.TnefPart is null ? "null" : "set")}; OriginalAuthenticator {authenticatorKind}; "
            + $"InboundDeliveryMethod {mailItem.InboundDeliveryMethod}; RecipientCategory {categories}.";
    }

    private static string EventName(MessageStage stage) => stage switch
    {
        MessageStage.Submitted => "OnSubmittedMessage",
        MessageStage.Resolved => "OnResolvedMessage",
        _ => "OnCategorizedMessage",
    };

    /// <summary>The media type of the top-level Content-Type, parameters dropped (a boundary or name says nothing useful).</summary>
    private static string TopContentType(MailItem mailItem)
    {
        using var stream = mailItem.GetMimeReadStream();
        if (stream is null)
        {
            return "(unreadable)";
        }

        var field = RawHeaderBlock.Read(stream, 1024 * 1024).Fields.FirstOrDefault(f => f.Is("Content-Type"));
        if (field is null)
        {
            return "(none: text/plain)";
        }

        var value = field.Value;
        var semicolon = value.IndexOf(';');
        return AsciiText(semicolon < 0 ? value.Trim() : value.Substring(0, semicolon).Trim());
    }

    private static string AsciiText(string text) => Processing.AsciiText.Sanitize(text, 100);
}
