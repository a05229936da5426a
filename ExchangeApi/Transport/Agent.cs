using System;

namespace Microsoft.Exchange.Data.Transport;

public abstract class Agent
{
    private readonly object _invocationLock = new();
    private Func<AgentAsyncContext>? _createAsyncContext;
    private bool _asyncContextIssued;

    internal Agent()
    {
    }

    protected internal string Name { get; internal set; } = string.Empty;

    protected internal string EventTopic { get; internal set; } = string.Empty;

    // Switches the current event to asynchronous mode. At most once per event invocation, and only while the handler
    // runs: a second call throws InvalidOperationException, as on a real server.
    protected AgentAsyncContext GetAgentAsyncContext()
    {
        lock (_invocationLock)
        {
            if (_createAsyncContext is null)
            {
                throw new InvalidOperationException("GetAgentAsyncContext can only be called while the agent is handling an event.");
            }

            if (_asyncContextIssued)
            {
                throw new InvalidOperationException("GetAgentAsyncContext has already been called for this event.");
            }

            _asyncContextIssued = true;
            return _createAsyncContext();
        }
    }

    // Host hook: the event handler is about to run.
    internal void BeginInvocation(string eventTopic, Func<AgentAsyncContext> createAsyncContext)
    {
        lock (_invocationLock)
        {
            EventTopic = eventTopic;
            _createAsyncContext = createAsyncContext;
            _asyncContextIssued = false;
        }
    }

    // Host hook: the event handler has returned. Returns whether it asked for an async context.
    internal bool EndInvocation()
    {
        lock (_invocationLock)
        {
            _createAsyncContext = null;
            return _asyncContextIssued;
        }
    }
}
