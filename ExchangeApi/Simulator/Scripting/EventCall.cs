using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeApi.Simulator;

/// <summary>One event as a scripted handler sees it: the source, the mail item, and the agent's async context.</summary>
public sealed class EventCall<TSource>
    where TSource : QueuedMessageEventSource
{
    private readonly ScriptedAgent _agent;
    private readonly QueuedMessageEventArgs _e;

    internal EventCall(ScriptedAgent agent, TSource source, QueuedMessageEventArgs e)
    {
        _agent = agent;
        Source = source;
        _e = e;
    }

    /// <summary>The event source (Fork, Defer, SetRoutingOverride...).</summary>
    public TSource Source { get; }

    /// <summary>The mail item of the event.</summary>
    public MailItem Item => _e.MailItem;

    /// <summary>The agent's GetAgentAsyncContext(), as an asynchronous agent calls it.</summary>
    public AgentAsyncContext GetAsyncContext() => _agent.AsyncContext();
}
