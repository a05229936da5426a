using System;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeApi.Simulator;

/// <summary>A routing agent that does what its <see cref="AgentScript"/> says, on every categorizer event.</summary>
public sealed class ScriptedAgent : RoutingAgent
{
    /// <summary>Subscribes to every event, so <see cref="AgentScript.AnyEvent"/> sees the whole pipeline.</summary>
    public ScriptedAgent(AgentScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        OnSubmittedMessage += (source, e) => Handle(script, RoutingEvents.Submitted, script.Submitted, source, e);
        OnResolvedMessage += (source, e) => Handle(script, RoutingEvents.Resolved, script.Resolved, source, e);
        OnRoutedMessage += (source, e) => Handle(script, RoutingEvents.Routed, script.Routed, source, e);
        OnCategorizedMessage += (source, e) => Handle(script, RoutingEvents.Categorized, script.Categorized, source, e);
    }

    internal AgentAsyncContext AsyncContext() => GetAgentAsyncContext();

    private void Handle<TSource>(AgentScript script, string topic, Action<EventCall<TSource>>? handler, TSource source, QueuedMessageEventArgs e)
        where TSource : QueuedMessageEventSource
    {
        script.AnyEvent?.Invoke(topic, e.MailItem);
        handler?.Invoke(new EventCall<TSource>(this, source, e));
    }
}
