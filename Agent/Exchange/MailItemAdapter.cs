using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// Turns one MailItem into the engine's input and applies the plan with Exchange's own calls, one stage per event. The
/// only place that reads or changes a MailItem. Each stage first prepares (reads, plans, transforms into a temporary
/// file: no change to the item) and returns what to apply; the caller applies it only if the time limit has not passed.
/// </summary>
internal sealed class MailItemAdapter
{
    /// <summary>
    /// SHA-256 of the content this agent last wrote. The loop guard compares it with the content itself: Exchange may
    /// revert content (a later agent's Defer) and keep properties, so a property alone never says "already protected".
    /// </summary>
    internal const string WrittenDigestProperty = "ExchangeEncryptionAgent.WrittenDigest";

    /// <summary>SHA-256 of the content after the inbound stage: only then may the deciding stage skip the inbound step.</summary>
    internal const string InboundDigestProperty = "ExchangeEncryptionAgent.InboundDigest";

    private readonly AgentRuntime _runtime;
    private readonly SmtpServer _server;
    private readonly DecisionStore _decisions;
    private readonly QueuedMessageEventSource _source;
    private readonly MailItem _mailItem;
    private readonly MailItemContent _content;

    public MailItemAdapter(AgentRuntime runtime, SmtpServer server, DecisionStore decisions, QueuedMessageEventSource source, MailItem mailItem)
    {
        _runtime = runtime;
        _server = server;
        _decisions = decisions;
        _source = source;
        _mailItem = mailItem;
        _content = new MailItemContent(mailItem, runtime.Builder);
    }

    /// <summary>System messages are read-only to agents; messages without recipients have nothing to do.</summary>
    public static bool ShouldSkip(MailItem mailItem, IAgentLog log)
    {
        string? reason = null;
        if (mailItem.Message?.IsSystemMessage == true)
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

    /// <summary>Does the reading and computing of <paramref name="stage"/>; returns the changes to make, or null.</summary>
    public Action? Prepare(MessageStage stage, CancellationToken cancellationToken) => stage switch
    {
        MessageStage.Submitted => PrepareSubmitted(cancellationToken),
        MessageStage.Resolved => PrepareResolved(cancellationToken),
        _ => PrepareCategorized(cancellationToken),
    };

    /// <summary>
    /// OnSubmittedMessage: a new pass through the categorizer begins (first submission or a retry after Defer), so any
    /// earlier decision is void. Decrypt, verify, strip forged verdicts; recipients that need different inbound
    /// treatment are forked (the clone gets OnSubmittedMessage again).
    /// </summary>
    private Action? PrepareSubmitted(CancellationToken cancellationToken)
    {
        _mailItem.Properties.Remove(RecordedDecision.PropertyName);
        _mailItem.Properties.Remove(InboundDigestProperty);
        if (_runtime.Processor is not IStagedMessageProcessor staged)
        {
            return null;
        }

        var envelope = BuildEnvelope();
        ProcessingPlan plan;
        using (var content = _content.Open())
        {
            plan = staged.Plan(envelope, content, DateTime.UtcNow, PlanningStage.Inbound, cancellationToken);
        }

        var current = SnapshotByAddress();
        var groups = Group(plan, current);
        if (groups.Count == 0)
        {
            return null;
        }

        var (copyIndex, recipients) = groups[0];
        var copy = plan.Copies[copyIndex];
        var fork = groups.Count > 1 || current.Count > recipients.Count;
        if (!fork && !copy.ChangesContent)
        {
            // Nothing inbound for anyone: no digest recorded, so the deciding stage plans the whole message (inbound
            // steps included, which on this content are none). Two SHA-256 passes fewer over every outbound message.
            return null;
        }

        var result = _content.Build(copy, cancellationToken);
        return () =>
        {
            using (result)
            {
                if (fork)
                {
                    _source.Fork(recipients);
                }

                _mailItem.Properties[InboundDigestProperty] = result is null ? _content.Digest() : _content.Write(result);
            }
        };
    }

    /// <summary>
    /// OnResolvedMessage: decide (or, for a fork clone of this pass, take the decision already recorded), then NDRs,
    /// Fork, Defer or routing overrides, and the per-recipient record that OnCategorizedMessage builds the copies from.
    /// </summary>
    private Action? PrepareResolved(CancellationToken cancellationToken)
    {
        var nowUtc = DateTime.UtcNow;
        var current = SnapshotByAddress();
        var recorded = RecordedDecision.Parse(Property(RecordedDecision.PropertyName));
        var plan = recorded is null ? null : _decisions.Find(recorded.DecisionId, nowUtc);
        string decisionId;
        if (recorded is not null && plan is not null && current.Keys.All(a => recorded.CopyFor(a) is int i && i < plan.Copies.Count))
        {
            // A fork clone of this pass (ours or another agent's): it keeps the treatment decided for its recipients.
            decisionId = recorded.DecisionId;
            plan = new ProcessingPlan(plan.Copies, Array.Empty<PlannedRejection>(), plan.Summary);
        }
        else
        {
            var envelope = BuildEnvelope();
            var inboundDone = Property(InboundDigestProperty) is string inboundDigest && inboundDigest == _content.Digest();
            using (var content = _content.Open())
            {
                plan = _runtime.Processor is IStagedMessageProcessor staged
                    ? staged.Plan(envelope, content, nowUtc, inboundDone ? PlanningStage.Outbound : PlanningStage.Complete, cancellationToken)
                    : _runtime.Processor.Plan(envelope, content, nowUtc, cancellationToken);
            }

            decisionId = RecordedDecision.NewId();
            _decisions.Add(decisionId, plan, nowUtc);
        }

        var record = RecordedDecision.Create(decisionId,
            plan.Copies.SelectMany((c, i) => c.Recipients.Select(r => new KeyValuePair<string, int>(r, i)))).Serialize();
        var decided = plan;
        return () => ApplyResolved(decided, current, record);
    }

    /// <summary>
    /// OnInternalError=PassThroughInsecure at OnResolvedMessage: the administrator's opt-in is itself the decision, recorded
    /// as such so that OnCategorizedMessage lets the message pass instead of failing closed for want of a decision.
    /// </summary>
    public void RecordPassThrough()
    {
        var nowUtc = DateTime.UtcNow;
        var plan = ProcessingPlan.PassThrough(SnapshotByAddress().Keys, "internal error; PassThroughInsecure");
        var decisionId = RecordedDecision.NewId();
        _decisions.Add(decisionId, plan, nowUtc);
        _mailItem.Properties[RecordedDecision.PropertyName] =
            RecordedDecision.Create(decisionId, plan.Copies[0].Recipients.Select(r => new KeyValuePair<string, int>(r, 0))).Serialize();
    }

    private void ApplyResolved(ProcessingPlan plan, Dictionary<string, EnvelopeRecipient> current, string record)
    {
        foreach (var rejection in plan.Rejections)
        {
            if (current.TryGetValue(rejection.Recipient, out var recipient))
            {
                _mailItem.Recipients.Remove(recipient, DsnType.Failure,
                    new SmtpResponse(rejection.StatusCode, rejection.EnhancedStatusCode, rejection.Reason));
                current.Remove(rejection.Recipient);
            }
        }

        var groups = Group(plan, current);
        if (groups.Count == 0)
        {
            return;
        }

        var (copyIndex, recipients) = groups[0];
        if (groups.Count > 1 || current.Count > recipients.Count)
        {
            // Recipients outside the first copy move to a clone that Exchange raises OnResolvedMessage for again; it
            // finds the record below and gets exactly the treatment decided for its recipients now. Recipients the plan
            // did not mention are not in the record and are decided afresh there.
            _mailItem.Properties[RecordedDecision.PropertyName] = record;
            _source.Fork(recipients);
        }

        _mailItem.Properties[RecordedDecision.PropertyName] = record;
        var copy = plan.Copies[copyIndex];
        if (copy.DeferFor is TimeSpan wait)
        {
            _source.Defer(wait, new SmtpResponse("451", "4.7.0", AsciiText.Sanitize(copy.DeferReason ?? "Deferred by encryption policy")));
            return;
        }

        if (copy.RoutingDomain is { } routingDomain && _source is ResolvedMessageEventSource resolved)
        {
            var routingOverride = new RoutingOverride(new RoutingDomain(routingDomain), ExchangeEnums.UseRecipientDomain);
            foreach (var recipient in recipients)
            {
                resolved.SetRoutingOverride(recipient, routingOverride);
            }
        }
    }

    /// <summary>
    /// OnCategorizedMessage: the content is final for these recipients (converted from Summary-TNEF, bifurcated). Build the
    /// copy decided for them. No readable decision, or recipients decided for different copies: fail closed.
    /// </summary>
    private Action? PrepareCategorized(CancellationToken cancellationToken)
    {
        var nowUtc = DateTime.UtcNow;
        var current = SnapshotByAddress();
        var recorded = RecordedDecision.Parse(Property(RecordedDecision.PropertyName));
        var plan = recorded is null ? null : _decisions.Find(recorded.DecisionId, nowUtc);
        var indexes = recorded is null ? new List<int?>() : current.Keys.Select(recorded.CopyFor).Distinct().ToList();
        if (plan is null || indexes.Count != 1 || indexes[0] is not int copyIndex || copyIndex >= plan.Copies.Count || plan.Copies[copyIndex].DeferFor is not null)
        {
            var why = recorded is null ? "no readable decision is recorded on the message"
                : plan is null ? "the recorded decision is no longer known (transport restarted or decision expired)"
                : "the recipients do not match one decided copy";
            return () =>
            {
                _runtime.Log.Write(EventIds.RecordedDecisionMissing,
                    $"Message {FailSafe.Describe(_mailItem)}: {why}; deferred for {_runtime.Settings.RetryInterval}.");
                _source.Defer(_runtime.Settings.RetryInterval, new SmtpResponse("451", "4.7.0", "Encryption decision unavailable, message deferred"));
            };
        }

        var copy = plan.Copies[copyIndex];
        if (!copy.ChangesContent)
        {
            return null;
        }

        if (Property(WrittenDigestProperty) is string written && written == _content.Digest())
        {
            // This content is what we wrote for this decision (a clone of an item we already processed): judged from the
            // content, not from the property alone.
            return null;
        }

        var result = _content.Build(copy, cancellationToken);
        if (result is null)
        {
            return null;
        }

        return () =>
        {
            using (result)
            {
                _mailItem.Properties[WrittenDigestProperty] = _content.Write(result);
            }
        };
    }

    /// <summary>The copies of <paramref name="plan"/> that have recipients on this item, in plan order, with those recipients.</summary>
    private static List<(int CopyIndex, List<EnvelopeRecipient> Recipients)> Group(ProcessingPlan plan, Dictionary<string, EnvelopeRecipient> current)
        => plan.Copies
            .Select((c, i) => (CopyIndex: i, Recipients: c.Recipients.Where(current.ContainsKey).Select(a => current[a]).ToList()))
            .Where(c => c.Recipients.Count > 0)
            .ToList();

    private object? Property(string name) => _mailItem.Properties.TryGetValue(name, out var value) ? value : null;

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

    private Dictionary<string, EnvelopeRecipient> SnapshotByAddress()
        => Snapshot()
            .GroupBy(r => r.Address.ToString(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

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
