using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>
/// The one test log: keeps every event written, for assertions. Thread-safe, because the policy watcher writes from
/// its own threads.
/// </summary>
internal sealed class CollectingAgentLog : IAgentLog
{
    private readonly object _lock = new();
    private readonly List<(AgentEvent Event, string Message, Exception? Exception)> _entries = new();

    /// <summary>A snapshot of what was written, in order.</summary>
    public IReadOnlyList<(AgentEvent Event, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.ToArray();
            }
        }
    }

    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
        lock (_lock)
        {
            _entries.Add((agentEvent, message, exception));
        }
    }

    public bool IsEnabled(AgentEventLevel level) => true;

    public bool Has(AgentEvent agentEvent) => Count(agentEvent) > 0;

    public int Count(AgentEvent agentEvent) => Entries.Count(e => e.Event.Id == agentEvent.Id);

    public IEnumerable<string> MessagesOf(AgentEvent agentEvent) => Entries.Where(e => e.Event.Id == agentEvent.Id).Select(e => e.Message);
}
