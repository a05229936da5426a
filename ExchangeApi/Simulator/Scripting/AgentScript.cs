using System;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeApi.Simulator;

/// <summary>
/// The behaviour of a <see cref="ScriptedAgent"/>: its handlers are lambdas, so each test writes exactly the behaviour
/// (good or bad) it wants to check. A missing handler does nothing.
/// </summary>
public sealed class AgentScript
{
    /// <summary>Called first for every event, with the topic (<see cref="RoutingEvents"/>): handy to log the order of events.</summary>
    public Action<string, MailItem>? AnyEvent { get; init; }

    /// <summary>OnSubmittedMessage.</summary>
    public Action<EventCall<SubmittedMessageEventSource>>? Submitted { get; init; }

    /// <summary>OnResolvedMessage.</summary>
    public Action<EventCall<ResolvedMessageEventSource>>? Resolved { get; init; }

    /// <summary>OnRoutedMessage.</summary>
    public Action<EventCall<RoutedMessageEventSource>>? Routed { get; init; }

    /// <summary>OnCategorizedMessage.</summary>
    public Action<EventCall<CategorizedMessageEventSource>>? Categorized { get; init; }
}
