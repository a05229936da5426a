using System;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The routing agent. It works in OnResolvedMessage, the only event in which SetRoutingOverride is allowed, after
/// recipients are resolved and, when it is given a lower priority than the Transport Rule agent, after mail flow rules
/// changed the message (docs/architecture.md). The work runs on a pool thread (GetAgentAsyncContext), so
/// encrypting a large message never holds an SMTP thread. No exception ever leaves this class: Exchange crashes
/// EdgeTransport.exe on anything but IOException.
/// </summary>
public sealed class EncryptionRoutingAgent : RoutingAgent
{
    private readonly AgentRuntime _runtime;
    private readonly SmtpServer _server;

    internal EncryptionRoutingAgent(AgentRuntime runtime, SmtpServer server)
    {
        _runtime = runtime;
        _server = server;
        OnResolvedMessage += HandleResolvedMessage;
    }

    private void HandleResolvedMessage(ResolvedMessageEventSource source, QueuedMessageEventArgs e)
    {
        AgentAsyncContext? asyncContext = null;
        try
        {
            var mailItem = e.MailItem;
            if (MailItemAdapter.ShouldSkip(mailItem, _runtime.Log))
            {
                return;
            }

            asyncContext = GetAgentAsyncContext();
            var context = asyncContext;
            ThreadPool.QueueUserWorkItem(_ => ProcessOnWorker(context, source, mailItem));
            asyncContext = null; // the worker completes it now
        }
#pragma warning disable CA1031 // The Exchange boundary: everything is caught and turned into the fail-closed outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FailSafe.Apply(_runtime, source, e, ex);
            CompleteQuietly(asyncContext);
        }
    }

    private void ProcessOnWorker(AgentAsyncContext context, ResolvedMessageEventSource source, MailItem mailItem)
    {
        try
        {
            // Exchange requires Resume on the worker thread before it touches the mail item.
            context.Resume();
            new MailItemAdapter(_runtime, _server, source, mailItem).Process(CancellationToken.None);
        }
#pragma warning disable CA1031 // A worker exception would crash the transport process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FailSafe.Apply(_runtime, source, mailItem, ex);
        }
        finally
        {
            CompleteQuietly(context);
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
            _runtime.Log.Write(EventIds.FailSafeFailed, "AgentAsyncContext.Complete failed: " + ex.GetType().Name);
        }
    }
}
