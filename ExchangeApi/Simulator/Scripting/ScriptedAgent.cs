using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeEncryptionAgent.Tests.Simulator;

// A test agent whose handlers are lambdas: each test writes exactly the behaviour (good or bad) it wants to check.
internal sealed class AgentScript
{
    // Called first for every event, with the topic: handy to log the order of events.
    public Action<string, MailItem>? AnyEvent { get; init; }

    public Action<EventCall<SubmittedMessageEventSource>>? Submitted { get; init; }

    public Action<EventCall<ResolvedMessageEventSource>>? Resolved { get; init; }

    public Action<EventCall<RoutedMessageEventSource>>? Routed { get; init; }

    public Action<EventCall<CategorizedMessageEventSource>>? Categorized { get; init; }
}

internal sealed class EventCall<TSource>(ScriptedAgent agent, TSource source, QueuedMessageEventArgs e)
    where TSource : QueuedMessageEventSource
{
    public TSource Source => source;

    public MailItem Item => e.MailItem;

    public AgentAsyncContext GetAsyncContext() => agent.AsyncContext();
}

internal sealed class ScriptedAgent : RoutingAgent
{
    public ScriptedAgent(AgentScript script)
    {
        // Subscribe to every event so AnyEvent sees the whole pipeline; a missing handler does nothing.
        OnSubmittedMessage += (source, e) => Handle(script, RoutingEvents.Submitted, script.Submitted, source, e);
        OnResolvedMessage += (source, e) => Handle(script, RoutingEvents.Resolved, script.Resolved, source, e);
        OnRoutedMessage += (source, e) => Handle(script, RoutingEvents.Routed, script.Routed, source, e);
        OnCategorizedMessage += (source, e) => Handle(script, RoutingEvents.Categorized, script.Categorized, source, e);
    }

    public AgentAsyncContext AsyncContext() => GetAgentAsyncContext();

    private void Handle<TSource>(AgentScript script, string topic, Action<EventCall<TSource>>? handler, TSource source, QueuedMessageEventArgs e)
        where TSource : QueuedMessageEventSource
    {
        script.AnyEvent?.Invoke(topic, e.MailItem);
        handler?.Invoke(new EventCall<TSource>(this, source, e));
    }
}

internal sealed class ScriptedAgentFactory(AgentScript script) : RoutingAgentFactory
{
    private int _agentsCreated;

    public int AgentsCreated => Volatile.Read(ref _agentsCreated);

    public List<SmtpServer> Servers { get; } = [];

    public bool Closed { get; private set; }

    public override RoutingAgent CreateAgent(SmtpServer server)
    {
        Interlocked.Increment(ref _agentsCreated);
        Servers.Add(server);
        return new ScriptedAgent(script);
    }

    public override void Close() => Closed = true;
}

internal static class RoutingEvents
{
    public const string Submitted = "OnSubmittedMessage";
    public const string Resolved = "OnResolvedMessage";
    public const string Routed = "OnRoutedMessage";
    public const string Categorized = "OnCategorizedMessage";
}
