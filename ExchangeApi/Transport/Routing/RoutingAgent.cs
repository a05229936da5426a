using System;
using System.Collections.Generic;

namespace Microsoft.Exchange.Data.Transport.Routing;

public abstract class RoutingAgent : Agent
{
    internal const string SubmittedMessageTopic = "OnSubmittedMessage";
    internal const string ResolvedMessageTopic = "OnResolvedMessage";
    internal const string RoutedMessageTopic = "OnRoutedMessage";
    internal const string CategorizedMessageTopic = "OnCategorizedMessage";

    // Exchange stores one handler per event topic, not a multicast delegate.
    private readonly Dictionary<string, Delegate> _handlers = new(StringComparer.Ordinal);

    protected RoutingAgent()
    {
    }

    protected event SubmittedMessageEventHandler OnSubmittedMessage
    {
        add => Subscribe(SubmittedMessageTopic, value);
        remove => Unsubscribe(SubmittedMessageTopic, value);
    }

    protected event ResolvedMessageEventHandler OnResolvedMessage
    {
        add => Subscribe(ResolvedMessageTopic, value);
        remove => Unsubscribe(ResolvedMessageTopic, value);
    }

    protected event RoutedMessageEventHandler OnRoutedMessage
    {
        add => Subscribe(RoutedMessageTopic, value);
        remove => Unsubscribe(RoutedMessageTopic, value);
    }

    protected event CategorizedMessageEventHandler OnCategorizedMessage
    {
        add => Subscribe(CategorizedMessageTopic, value);
        remove => Unsubscribe(CategorizedMessageTopic, value);
    }

    // Host hook.
    internal bool IsSubscribed(string eventTopic)
    {
        lock (_handlers)
        {
            return _handlers.ContainsKey(eventTopic);
        }
    }

    // Host hook: calls the handler subscribed for eventTopic, if any, with the source type that topic uses.
    internal void Raise(string eventTopic, QueuedMessageEventSource source, QueuedMessageEventArgs e)
    {
        Delegate? handler;
        lock (_handlers)
        {
            _handlers.TryGetValue(eventTopic, out handler);
        }

        switch (handler)
        {
            case null:
                return;
            case SubmittedMessageEventHandler submitted:
                submitted((SubmittedMessageEventSource)source, e);
                break;
            case ResolvedMessageEventHandler resolved:
                resolved((ResolvedMessageEventSource)source, e);
                break;
            case RoutedMessageEventHandler routed:
                routed((RoutedMessageEventSource)source, e);
                break;
            case CategorizedMessageEventHandler categorized:
                categorized((CategorizedMessageEventSource)source, e);
                break;
            default:
                throw new InvalidOperationException("No handler type is known for " + eventTopic + ".");
        }
    }

    private void Subscribe(string eventTopic, Delegate? handler)
    {
        if (handler is null)
        {
            return;
        }

        lock (_handlers)
        {
            if (_handlers.ContainsKey(eventTopic))
            {
                throw new InvalidOperationException(
                    "A transport agent has attempted to subscribe to the same event (" + eventTopic + ") more than once.");
            }

            _handlers.Add(eventTopic, handler);
        }
    }

    private void Unsubscribe(string eventTopic, Delegate? handler)
    {
        if (handler is null)
        {
            return;
        }

        lock (_handlers)
        {
            if (_handlers.TryGetValue(eventTopic, out var current) && current.Equals(handler))
            {
                _handlers.Remove(eventTopic);
            }
        }
    }
}
