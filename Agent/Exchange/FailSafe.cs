using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The internal-error outcome. Default: defer the message with a transient response, so nothing a rule wants
/// protected can leave unprotected; Exchange retries it after RetryInterval (until its own message expiration).
/// The opt-in PassThroughInsecure lets it continue unchanged.
/// When Defer itself fails, returning would let the message flow on unchanged (and throwing does the same: Exchange
/// logs an IOException as an agent fault and carries on, anything else crashes the transport service). So the next
/// step removes every remaining recipient with an NDR: the sender learns the message was not sent and can send it
/// again, and nothing leaves unprotected. Only if that fails too are the recipients cleared (a silent drop, still
/// better than a leak), and only if everything fails does the message continue, with event 9001.
/// </summary>
internal static class FailSafe
{
    /// <summary>The NDR text given when the message could not be deferred.</summary>
    internal const string NotSentText = "Encryption agent error: the message was not sent, please send it again";

    public static void Apply(AgentRuntime runtime, QueuedMessageEventSource source, QueuedMessageEventArgs e, Exception error)
    {
        MailItem? mailItem = null;
        try
        {
            mailItem = e.MailItem;
        }
#pragma warning disable CA1031 // Describing the message is best effort.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Apply(runtime, source, mailItem, error);
    }

    public static void Apply(AgentRuntime runtime, QueuedMessageEventSource source, MailItem? mailItem, Exception error)
    {
        var outcome = FailureOutcome.Defer;
        try
        {
            outcome = runtime.Settings.OnInternalError;
            // Type, bounded message and method names only: exception text can quote message content (docs/security.md).
            SafeWrite(runtime.Log, EventIds.InternalError,
                $"Processing failed for message {Describe(mailItem)}: {ExceptionSummary.Describe(error)}. Outcome: {outcome}. Stack: {ExceptionSummary.Frames(error)}");
            if (outcome != FailureOutcome.Defer)
            {
                return;
            }

            source.Defer(runtime.Settings.RetryInterval, new SmtpResponse("451", "4.7.0", "Temporary encryption agent error, message deferred"));
        }
#pragma warning disable CA1031 // Even the fail-safe must not throw into Exchange.
        catch (Exception deferError)
#pragma warning restore CA1031
        {
            RejectEveryone(runtime.Log, mailItem, deferError);
        }
    }

    /// <summary>
    /// The processing time limit passed (the watchdog's timer, or the worker's own work cancelled by it): defer with
    /// event 4010. When Defer fails, the same next steps as for any failure (NDR every recipient, else clear them):
    /// returning would let the message flow on unchanged, past the copy that was never built. Never throws.
    /// </summary>
    public static void ApplyTimeLimit(AgentRuntime runtime, QueuedMessageEventSource source, MailItem? mailItem, string stage)
    {
        try
        {
            SafeWrite(runtime.Log, EventIds.ProcessingTimeLimitExceeded,
                $"Message {Describe(mailItem)}: {stage} processing exceeded {runtime.Settings.ProcessingTimeLimit}; deferred for {runtime.Settings.RetryInterval}.");
            source.Defer(runtime.Settings.RetryInterval, new SmtpResponse("451", "4.7.0", "Encryption agent time limit exceeded, message deferred"));
        }
#pragma warning disable CA1031 // Even the fail-safe must not throw into Exchange.
        catch (Exception deferError)
#pragma warning restore CA1031
        {
            RejectEveryone(runtime.Log, mailItem, deferError);
        }
    }

    /// <summary>A safe label for logs: the Message-ID when it can be read.</summary>
    public static string Describe(MailItem? mailItem)
    {
        try
        {
            var id = mailItem?.Message?.MessageId;
            return string.IsNullOrEmpty(id) ? "(no Message-ID)" : ExceptionSummary.Clean(id, 200);
        }
#pragma warning disable CA1031 // A deferred or broken item throws on every member.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "(unreadable)";
        }
    }

    /// <summary>The defer failed: NDR every remaining recipient, else clear them; never throws.</summary>
    private static void RejectEveryone(IAgentLog log, MailItem? mailItem, Exception deferError)
    {
        var deferFailure = ExceptionSummary.Describe(deferError);
        var recipients = new List<EnvelopeRecipient>();
        try
        {
            foreach (var recipient in mailItem!.Recipients)
            {
                recipients.Add(recipient);
            }
        }
#pragma warning disable CA1031 // No recipients to read: nothing left to reject (a deferred item throws here).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SafeWrite(log, EventIds.FailSafeFailed,
                $"Message {Describe(mailItem)} could not be deferred ({deferFailure}) and its recipients could not be read ({ExceptionSummary.Describe(ex)}).");
            return;
        }

        int rejected = 0, failed = 0;
        SmtpResponse notSent;
        try
        {
            // Built here, not in a static field: a type initialiser that throws would break every later call.
            notSent = new SmtpResponse("550", "5.7.0", NotSentText);
        }
#pragma warning disable CA1031 // Without a response no NDR can be given; clearing is what is left.
        catch (Exception)
#pragma warning restore CA1031
        {
            notSent = SmtpResponse.Empty;
        }

        foreach (var recipient in recipients)
        {
            try
            {
                if (!notSent.IsEmpty && mailItem.Recipients.Remove(recipient, DsnType.Failure, notSent))
                {
                    rejected++;
                }
                else
                {
                    failed++;
                }
            }
#pragma warning disable CA1031 // Each recipient on its own: one failure must not stop the others.
            catch (Exception)
#pragma warning restore CA1031
            {
                failed++;
            }
        }

        if (failed == 0)
        {
            SafeWrite(log, EventIds.FailSafeRecipientsRejected,
                $"Message {Describe(mailItem)} could not be deferred ({deferFailure}); {rejected} recipient(s) removed with an NDR (550 5.7.0).");
            return;
        }

        try
        {
            mailItem.Recipients.Clear();
            SafeWrite(log, EventIds.FailSafeRecipientsRejected,
                $"Message {Describe(mailItem)} could not be deferred ({deferFailure}); {rejected} recipient(s) removed with an NDR, {failed} could not be and were dropped without one.");
        }
#pragma warning disable CA1031 // Nothing is left to try.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SafeWrite(log, EventIds.FailSafeFailed,
                $"Message {Describe(mailItem)} could not be deferred ({deferFailure}); {failed} recipient(s) could be neither rejected nor removed ({ExceptionSummary.Describe(ex)}).");
        }
    }

    private static void SafeWrite(IAgentLog log, AgentEvent agentEvent, string message)
    {
        try
        {
            log.Write(agentEvent, message);
        }
#pragma warning disable CA1031 // Nothing is left to report to.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
