using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// Turns one MailItem into the engine's input and applies the plan with Exchange's own calls. The only place that
/// reads or changes a MailItem. Order matters: NDRs first, then Fork (the current item keeps the first copy's
/// recipients; Exchange raises OnResolvedMessage again for the clone, which is planned afresh), then either Defer
/// or the content write and routing overrides.
/// </summary>
internal sealed class MailItemAdapter
{
    /// <summary>Loop guard in MailItem.Properties (persisted, invisible in the content, so no sender can forge it).</summary>
    internal const string ProcessedProperty = "ExchangeEncryptionAgent.Processed";

    private readonly AgentRuntime _runtime;
    private readonly SmtpServer _server;
    private readonly ResolvedMessageEventSource _source;
    private readonly MailItem _mailItem;

    public MailItemAdapter(AgentRuntime runtime, SmtpServer server, ResolvedMessageEventSource source, MailItem mailItem)
    {
        _runtime = runtime;
        _server = server;
        _source = source;
        _mailItem = mailItem;
    }

    /// <summary>System messages are read-only to agents; items we already processed must not be processed twice.</summary>
    public static bool ShouldSkip(MailItem mailItem, IAgentLog log)
    {
        string? reason = null;
        if (mailItem.Properties.TryGetValue(ProcessedProperty, out var processed) && processed is true)
        {
            reason = "already processed by this agent";
        }
        else if (mailItem.Message?.IsSystemMessage == true)
        {
            reason = "system message (NDR/DSN/MDN)";
        }
        else if (mailItem.Recipients.Count == 0)
        {
            reason = "no recipients";
        }

        if (reason is null)
        {
            return false;
        }

        if (log.IsEnabled(AgentEventLevel.Debug))
        {
            log.Write(EventIds.MessageSkipped, $"Message {FailSafe.Describe(mailItem)} skipped: {reason}.");
        }

        return true;
    }

    public void Process(CancellationToken cancellationToken)
    {
        var envelope = BuildEnvelope();
        ProcessingPlan plan;
        using (var content = OpenContent())
        {
            plan = _runtime.Processor.Plan(envelope, content, DateTime.UtcNow, cancellationToken);
        }

        Apply(plan, cancellationToken);
    }

    private MessageEnvelope BuildEnvelope()
    {
        var from = _mailItem.FromAddress;
        var mailFrom = from == RoutingAddress.NullReversePath || !from.IsValid ? string.Empty : from.ToString();
        var recipients = Snapshot().Select(r => new EnvelopeRecipientInput(r.Address.ToString(), ExchangeEnums.IsInternal(r.RecipientCategory))).ToList();

        // Accepted domains inside the organisation, wildcards included. IsInCorporation is false for ExternalRelay
        // domains (mail for them leaves the organisation), which the real AcceptedDomain exposes no other way.
        var acceptedDomains = _server.AcceptedDomains?.Where(d => d.IsInCorporation).Select(d => d.NameSpecification).ToList();

        // Who may sign with a personal key: the MAIL FROM only when Exchange vouches for it (a mailbox submission, or
        // an authenticated SMTP client, for which Exchange enforces Send-As).
        var origin = Origin(_mailItem.InboundDeliveryMethod, _mailItem.OriginalAuthenticator);
        var vouched = origin is SubmissionOrigin.Mailbox or SubmissionOrigin.SmtpAuthenticated;
        return new MessageEnvelope(mailFrom, recipients, origin, acceptedDomains, vouched && mailFrom.Length > 0 ? mailFrom : null);
    }

    /// <summary>
    /// Who submitted the message, in the host's words only. "&lt;&gt;" is Exchange's anonymous submitter (as in
    /// RFC 4954's AUTH=&lt;&gt;); any other non-empty authenticator is an authenticated one. Empty without a mailbox
    /// or pickup submission says nothing, so it counts as outside: a forged verdict is stripped, inbound rules run.
    /// </summary>
    internal static SubmissionOrigin Origin(DeliveryMethod inboundDeliveryMethod, string? originalAuthenticator)
    {
        if (ExchangeEnums.IsMailboxSubmission(inboundDeliveryMethod))
        {
            return SubmissionOrigin.Mailbox;
        }

        var authenticator = originalAuthenticator?.Trim() ?? string.Empty;
        if (authenticator == "<>")
        {
            return SubmissionOrigin.SmtpAnonymous;
        }

        if (ExchangeEnums.IsFileSubmission(inboundDeliveryMethod))
        {
            return SubmissionOrigin.Pickup;
        }

        return authenticator.Length > 0 ? SubmissionOrigin.SmtpAuthenticated : SubmissionOrigin.Unknown;
    }

    /// <summary>The current content, seekable. Exchange's read stream is seekable in practice; spool it when not.</summary>
    private Stream OpenContent()
    {
        var stream = _mailItem.GetMimeReadStream() ?? throw new InvalidOperationException("Exchange does not expose the content of this message.");
        if (stream.CanSeek)
        {
            return stream;
        }

        using (stream)
        {
            var spool = _runtime.Chain.CreateSpoolFile();
            stream.CopyTo(spool, 81920);
            spool.Position = 0;
            return spool;
        }
    }

    private void Apply(ProcessingPlan plan, CancellationToken cancellationToken)
    {
        // One snapshot, looked up by address: Remove and Fork change the live list, and plans can name many recipients.
        var current = Snapshot()
            .GroupBy(r => r.Address.ToString(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        foreach (var rejection in plan.Rejections)
        {
            if (current.TryGetValue(rejection.Recipient, out var recipient))
            {
                _mailItem.Recipients.Remove(recipient, DsnType.Failure,
                    new SmtpResponse(rejection.StatusCode, rejection.EnhancedStatusCode, rejection.Reason));
                current.Remove(rejection.Recipient);
            }
        }

        var copies = plan.Copies
            .Select(c => (Copy: c, Recipients: c.Recipients.Where(current.ContainsKey).Select(a => current[a]).ToList()))
            .Where(c => c.Recipients.Count > 0)
            .ToList();
        if (copies.Count == 0)
        {
            return;
        }

        var (copy, recipients) = copies[0];
        if (copies.Count > 1 || current.Count > recipients.Count)
        {
            // Recipients outside the first copy (other copies, or any the plan did not mention) move to a clone that
            // Exchange raises OnResolvedMessage for again; it is planned afresh there and never inherits this copy's treatment.
            _source.Fork(recipients);
        }

        if (copy.DeferFor is TimeSpan wait)
        {
            _source.Defer(wait, new SmtpResponse("451", "4.7.0", AsciiText.Sanitize(copy.DeferReason ?? "Deferred by encryption policy")));
            return;
        }

        if (copy.Transforms.Count > 0)
        {
            WriteContent(copy.Transforms, cancellationToken);
        }

        if (copy.RoutingDomain is { } routingDomain)
        {
            var routingOverride = new RoutingOverride(new RoutingDomain(routingDomain), ExchangeEnums.UseRecipientDomain);
            foreach (var recipient in recipients)
            {
                _source.SetRoutingOverride(recipient, routingOverride);
            }
        }

        _mailItem.Properties[ProcessedProperty] = true;
    }

    /// <summary>
    /// Transforms into a temporary file first: the write stream cannot seek, refuses writes after Flush, and must be
    /// closed before the handler returns or Exchange restores the old content and drops every recipient.
    /// </summary>
    private void WriteContent(IReadOnlyList<IMessageTransform> transforms, CancellationToken cancellationToken)
    {
        Stream result;
        using (var content = OpenContent())
        {
            result = _runtime.Chain.Run(content, transforms, cancellationToken);
        }

        using (result)
        using (var destination = _mailItem.GetMimeWriteStream() ?? throw new InvalidOperationException("Exchange refused a write stream for this message."))
        {
            result.CopyTo(destination, 81920);
        }
    }

    private List<EnvelopeRecipient> Snapshot()
    {
        // Copy first: the enumerator walks the live list, which Remove and Fork change.
        var list = new List<EnvelopeRecipient>(_mailItem.Recipients.Count);
        foreach (var recipient in _mailItem.Recipients)
        {
            list.Add(recipient);
        }

        return list;
    }
}
