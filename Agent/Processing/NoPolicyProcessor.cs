using System;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The engine while no valid policy is loaded: every message gets the OnNoValidPolicy outcome (default: deferred,
/// so nothing a policy would protect leaves unprotected while the administrator fixes the file).
/// </summary>
internal sealed class NoPolicyProcessor : IStagedMessageProcessor
{
    private readonly AgentSettings _settings;
    private readonly IAgentLog _log;
    private readonly string _why;
    private readonly object _gate = new();
    private DateTime _lastLoggedUtc = DateTime.MinValue;
    private int _unlogged;

    /// <summary>Creates the processor; <paramref name="why"/> says why there is no policy (logged with each message).</summary>
    public NoPolicyProcessor(AgentSettings settings, IAgentLog log, string why)
    {
        _settings = Guard.NotNull(settings);
        _log = Guard.NotNull(log);
        _why = Guard.NotNull(why);
    }

    /// <inheritdoc />
    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken)
        => Plan(envelope, content, nowUtc, PlanningStage.Complete, cancellationToken);

    /// <inheritdoc />
    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, PlanningStage stage, CancellationToken cancellationToken)
    {
        Guard.NotNull(envelope);
        var recipients = envelope.Recipients.Select(r => r.Address).ToList();
        if (stage == PlanningStage.Inbound)
        {
            // The deciding stage applies the no-policy outcome; the inbound stage has nothing it could do safely.
            return ProcessingPlan.PassThrough(recipients, "no valid policy: decided at the deciding stage");
        }

        LogThrottled(nowUtc);
        if (_settings.OnNoValidPolicy == FailureOutcome.Defer)
        {
            return ProcessingPlan.DeferAll(recipients, _settings.RetryInterval, "No valid encryption policy is loaded");
        }

        // Even without a policy, a verdict forged outside must not reach a mailbox. Without a policy only the host
        // can say a sender is inside.
        if (envelope.SenderIsInternal != true && content is not null && ForeignHeaderStripTransform.CountForeignFields(content) > 0)
        {
            var copy = new PlannedCopy(recipients, CopyInstructions.StripOnly, CopyProtection.None);
            return new ProcessingPlan(new[] { copy }, Array.Empty<PlannedRejection>(), "no valid policy; PassThroughInsecure; X-EEA-* from outside removed");
        }

        return ProcessingPlan.PassThrough(recipients, "no valid policy; PassThroughInsecure");
    }

    /// <summary>
    /// One Error entry per five minutes, saying how many messages it covers: a broken policy on a busy server must
    /// not flood the Application log with one entry per message.
    /// </summary>
    private void LogThrottled(DateTime nowUtc)
    {
        int covered;
        lock (_gate)
        {
            _unlogged++;
            if (nowUtc - _lastLoggedUtc < LogInterval)
            {
                return;
            }

            covered = _unlogged;
            _unlogged = 0;
            _lastLoggedUtc = nowUtc;
        }

        _log.Write(EventIds.NoValidPolicy,
            $"No valid policy ({_why}); outcome {_settings.OnNoValidPolicy} for {covered} message(s) since the last entry. Next entry in {LogInterval.TotalMinutes} minutes at most.");
    }

    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(5);
}
