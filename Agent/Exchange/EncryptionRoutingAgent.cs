using System;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The routing agent, in three events (docs/architecture.md). OnSubmittedMessage: inbound decryption, verification and
/// removal of forged verdict headers, so that the Transport Rule agent, DLP and journaling after us see plain text and no
/// forged verdict. OnResolvedMessage (the only event where routing overrides work): decide, NDR, Fork, route, Defer, and
/// record the decision per recipient. OnCategorizedMessage (after content conversion: Outlook/OWA mail is MIME by then):
/// build each recipient's decided copy (sign, encrypt, header edits). Each event's work runs on a pool thread
/// (GetAgentAsyncContext) under a time limit. No exception ever leaves this class: Exchange crashes EdgeTransport.exe on
/// anything but IOException and LocalizedException.
/// </summary>
internal sealed class EncryptionRoutingAgent : RoutingAgent
{
    private readonly AgentRuntime _runtime;
    private readonly SmtpServer _server;
    private readonly DecisionStore _decisions;

    internal EncryptionRoutingAgent(AgentRuntime runtime, SmtpServer server, DecisionStore decisions)
    {
        _runtime = runtime;
        _server = server;
        _decisions = decisions;
        OnSubmittedMessage += (source, e) => Handle(source, e, MessageStage.Submitted);
        OnResolvedMessage += (source, e) => Handle(source, e, MessageStage.Resolved);
        OnCategorizedMessage += (source, e) => Handle(source, e, MessageStage.Categorized);
    }

    private void Handle(QueuedMessageEventSource source, QueuedMessageEventArgs e, MessageStage stage)
    {
        AgentAsyncContext? asyncContext = null;
        try
        {
            var mailItem = e.MailItem;
            if (_runtime.Settings.Diagnostics)
            {
                EventDiagnostics.Write(_runtime.Log, stage, mailItem);
            }

            if (MailItemAdapter.ShouldSkip(mailItem, _runtime.Log))
            {
                return;
            }

            asyncContext = GetAgentAsyncContext();
            var context = asyncContext;
            var guard = new EventGuard(_runtime.Settings.ProcessingTimeLimit);
            var watchdog = new Timer(_ => OnTimeLimit(context, guard, source, mailItem, stage), null, _runtime.Settings.ProcessingTimeLimit, Timeout.InfiniteTimeSpan);
            ThreadPool.QueueUserWorkItem(_ => ProcessOnWorker(context, guard, watchdog, source, mailItem, stage));
            asyncContext = null; // the worker (or the watchdog) completes it now
        }
#pragma warning disable CA1031 // The Exchange boundary: everything is caught and turned into the fail-closed outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FailSafe.Apply(_runtime, source, e, ex);
            CompleteQuietly(asyncContext);
        }
    }

    private void ProcessOnWorker(AgentAsyncContext context, EventGuard guard, Timer watchdog, QueuedMessageEventSource source, MailItem mailItem, MessageStage stage)
    {
        try
        {
            // Exchange requires Resume on the worker thread before it touches the mail item.
            context.Resume();
            var adapter = new MailItemAdapter(_runtime, _server, _decisions, source, mailItem);
            var apply = adapter.Prepare(stage, guard.Token);
            if (guard.TryClaimForWorker())
            {
                apply?.Invoke();
            }
        }
#pragma warning disable CA1031 // A worker exception would crash the transport process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (guard.TryClaimForWorker())
            {
                if (ex is OperationCanceledException && guard.Token.IsCancellationRequested)
                {
                    // The time limit cancelled the work before the watchdog's timer ran: the watchdog's outcome and event.
                    FailSafe.ApplyTimeLimit(_runtime, source, mailItem, stage.ToString());
                }
                else
                {
                    FailSafe.Apply(_runtime, source, mailItem, ex);
                    if (stage == MessageStage.Resolved && _runtime.Settings.OnInternalError == FailureOutcome.PassThroughInsecure)
                    {
                        RecordPassThroughQuietly(source, mailItem);
                    }
                }
            }
        }
        finally
        {
            watchdog.Dispose();
            if (!guard.TimedOut)
            {
                CompleteQuietly(context);
            }

            guard.Dispose();
        }
    }

    private void RecordPassThroughQuietly(QueuedMessageEventSource source, MailItem mailItem)
    {
        try
        {
            new MailItemAdapter(_runtime, _server, _decisions, source, mailItem).RecordPassThrough();
        }
#pragma warning disable CA1031 // Without the record OnCategorizedMessage fails closed, which is safe.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SafeLog(EventIds.FailSafeFailed, "The PassThroughInsecure decision could not be recorded: " + ex.GetType().Name);
        }
    }

    /// <summary>The time limit passed and the worker has not started to change the item: defer it (fail closed).</summary>
    private void OnTimeLimit(AgentAsyncContext context, EventGuard guard, QueuedMessageEventSource source, MailItem mailItem, MessageStage stage)
    {
        try
        {
            if (!guard.TryClaimForWatchdog())
            {
                return;
            }

            context.Resume();
            FailSafe.ApplyTimeLimit(_runtime, source, mailItem, stage.ToString());
        }
#pragma warning disable CA1031 // A timer callback exception would crash the transport process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SafeLog(EventIds.FailSafeFailed, "The time-limit deferral could not be applied: " + ex.GetType().Name + ": " + ex.Message);
        }
        finally
        {
            if (guard.TimedOut)
            {
                CompleteQuietly(context);
            }
        }
    }

    private void CompleteQuietly(AgentAsyncContext? context)
    {
        if (context is null)
        {
            return;
        }

        try
        {
            context.Complete();
        }
#pragma warning disable CA1031 // Complete throwing (twice, say) must not crash the worker thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SafeLog(EventIds.FailSafeFailed, "AgentAsyncContext.Complete failed: " + ex.GetType().Name);
        }
    }

    private void SafeLog(AgentEvent agentEvent, string message)
    {
        try
        {
            _runtime.Log.Write(agentEvent, message);
        }
#pragma warning disable CA1031 // Logging must never throw into Exchange.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}

/// <summary>The three events the agent works in.</summary>
internal enum MessageStage
{
    /// <summary>OnSubmittedMessage: inbound S/MIME and forged verdicts.</summary>
    Submitted,

    /// <summary>OnResolvedMessage: decide, NDR, Fork, route, Defer, record.</summary>
    Resolved,

    /// <summary>OnCategorizedMessage: build the decided copy.</summary>
    Categorized,
}
