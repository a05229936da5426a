using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// The host adapter of the gateway, the counterpart of Agent/Exchange/MailItemAdapter: turns one message Postfix
/// handed over (envelope + spooled content) into the engine's input, and applies the plan on the wire. Copies are
/// re-injected with their own recipients, rejected recipients get a DSN, a deferral or any failure makes the whole
/// message a 4xx so Postfix keeps it. It answers 250 only when everything it produced is in Postfix's queue.
/// </summary>
internal sealed class GatewayRelay : IDisposable
{
    private readonly AgentRuntime _runtime;
    private readonly GatewayOptions _options;
    private readonly Reinjector _reinjector;

    public GatewayRelay(AgentRuntime runtime, GatewayOptions options)
    {
        _runtime = runtime;
        _options = options;
        _reinjector = new Reinjector(options);
    }

    /// <summary>Sessions opened to the plain re-injection service so far (they are kept between messages).</summary>
    internal int ReinjectionSessionsOpened => _reinjector.SessionsOpened;

    /// <summary>Closes the re-injection sessions kept open.</summary>
    public void Dispose() => _reinjector.Dispose();

    /// <summary>Never throws (short of cancellation): every failure is an event and a 4xx.</summary>
    public async Task<RelayOutcome> RelayAsync(string mailFrom, IReadOnlyList<string> recipients, GatewayOrigin origin, Stream spool, string id, CancellationToken cancellationToken)
    {
        var arrival = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        ProcessingPlan plan;
        try
        {
            // Inside or not comes from the listener, never from the message. Recipients: the policy's organisation
            // domains decide (the envelope address, not a header).
            var envelope = new MessageEnvelope(
                mailFrom,
                recipients.Select(r => new EnvelopeRecipientInput(r)).ToList(),
                origin == GatewayOrigin.Inside ? SubmissionOrigin.SmtpAuthenticated : SubmissionOrigin.SmtpAnonymous,
                // The tenant's connector authenticated with its TLS certificate, and Exchange Online enforces Send-As
                // for its users: the MAIL FROM of inside mail is vouched for; Internet mail vouches for nothing.
                authenticatedSubmitter: origin == GatewayOrigin.Inside && mailFrom.Length > 0 ? mailFrom : null);
            spool.Position = 0;
            plan = _runtime.Processor.Plan(envelope, spool, arrival, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Always fail closed here: a 4xx costs a retry, a pass-through could put must-encrypt mail on the wire.
            _runtime.Log.Write(EventIds.GatewayInternalError, $"Message {id}: planning failed; answered 451, Postfix retries.", ex);
            return RelayOutcome.TryAgain("4.3.0", "Encryption gateway could not process the message; try again later");
        }

        if (plan.Copies.FirstOrDefault(c => c.DeferFor is not null) is { } deferred)
        {
            // One answer for the whole message: a partial delivery now would be duplicated by Postfix's retry.
            var reason = AsciiText.Sanitize(deferred.DeferReason ?? "deferred by encryption policy", 200);
            _runtime.Log.Write(EventIds.GatewayMessageDeferred, $"Message {id} from <{mailFrom}>: deferred by the plan ({reason}); answered 451.");
            return RelayOutcome.TryAgain("4.7.0", "Deferred by encryption policy: " + reason);
        }

        if (_options.ReinjectTls is null && plan.Copies.Any(c => c.RoutingDomain is not null))
        {
            _runtime.Log.Write(EventIds.GatewayForcedTlsUnavailable,
                $"Message {id}: the policy requires forced TLS for some recipients, but no --reinject-tls service is configured; answered 451.");
            return RelayOutcome.TryAgain("4.7.5", "Forced TLS is required but not configured on this gateway");
        }

        var outgoing = new List<OutgoingCopy>();
        try
        {
            return await ApplyAsync(plan, mailFrom, recipients, spool, id, arrival, started, outgoing, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _runtime.Log.Write(EventIds.GatewayReinjectionFailed, $"Message {id}: a copy could not be built or handed back to Postfix; answered 451, Postfix retries the whole message.", ex);
            return RelayOutcome.TryAgain("4.3.0", "Encryption gateway could not complete the message; try again later");
        }
        finally
        {
            foreach (var copy in outgoing.Where(c => !ReferenceEquals(c.Content, spool)))
            {
                copy.Content.Dispose();
            }
        }
    }

    private async Task<RelayOutcome> ApplyAsync(ProcessingPlan plan, string mailFrom, IReadOnlyList<string> recipients, Stream spool, string id,
        DateTime arrival, long started, List<OutgoingCopy> outgoing, CancellationToken cancellationToken)
    {
        var remaining = new HashSet<string>(recipients, StringComparer.OrdinalIgnoreCase);
        var rejections = plan.Rejections.Where(r => remaining.Remove(r.Recipient)).ToList();
        foreach (var copy in plan.Copies)
        {
            var copyRecipients = copy.Recipients.Where(remaining.Remove).ToList();
            if (copyRecipients.Count == 0)
            {
                continue;
            }

            var content = _runtime.Builder.Build(copy, spool, cancellationToken) ?? spool;
            outgoing.Add(new OutgoingCopy(mailFrom, copyRecipients, content, copy.RoutingDomain is not null, CopyProtectionNames.Keyword(copy.Protection)));
        }

        if (remaining.Count > 0)
        {
            // Recipients the plan did not mention keep the message as it came (as the Exchange adapter's fork does).
            outgoing.Add(new OutgoingCopy(mailFrom, remaining.ToList(), spool, false, "none"));
        }

        if (rejections.Count > 0)
        {
            if (mailFrom.Length == 0)
            {
                // Never a DSN to the null reverse path (RFC 3464 / RFC 5321 4.5.5): that is how bounce loops start.
                _runtime.Log.Write(EventIds.GatewayDeliveryStatusSent,
                    $"Message {id} from <>: {rejections.Count} recipient(s) rejected by policy; no DSN for the null reverse path.");
            }
            else
            {
                var dsn = _runtime.TemporaryFiles.Create();
                outgoing.Add(new OutgoingCopy(string.Empty, new[] { mailFrom }, dsn, false, "dsn"));
                DeliveryStatusBuilder.Write(dsn, _options.HostName, mailFrom, rejections, spool, arrival);
                _runtime.Log.Write(EventIds.GatewayDeliveryStatusSent,
                    $"Message {id} from <{mailFrom}>: DSN for {string.Join(", ", rejections.Select(r => $"<{r.Recipient}> {r.EnhancedStatusCode}"))}.");
            }
        }

        await _reinjector.SendAllAsync(outgoing, cancellationToken).ConfigureAwait(false);
        var summary = string.Join("; ", outgoing.Select(c => $"{c.Description} to {c.Recipients.Count}" + (c.RequireTls ? " over forced TLS" : string.Empty)));
        // The time Postfix waited for our answer (end of DATA to 250): whether the filter hop's latency or the CPU
        // sets the rate (docs/performance.md) is read from it.
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
        _runtime.Log.Write(EventIds.GatewayMessageRelayed, $"Message {id} from <{mailFrom}>: {summary}; in {elapsed} ms.");
        return RelayOutcome.Done($"Ok: {outgoing.Count} message(s) queued");
    }
}
