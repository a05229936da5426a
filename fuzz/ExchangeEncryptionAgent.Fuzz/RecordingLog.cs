using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// Keeps the events of one input, so a target can tell a host's catch-all event (an exception the engine let out)
/// from the documented outcomes. Thread-safe: the gateway writes from its session threads.
/// </summary>
public sealed class RecordingLog : IAgentLog
{
    private readonly ConcurrentQueue<(AgentEvent Event, string Message, Exception? Exception)> _entries = new();

    /// <summary>Forgets everything (before the next input).</summary>
    public void Clear() => _entries.Clear();

    /// <summary>The entries under one of <paramref name="events"/>.</summary>
    public IReadOnlyList<(AgentEvent Event, string Message, Exception? Exception)> Of(params AgentEvent[] events)
        => _entries.Where(e => events.Any(x => x.Id == e.Event.Id)).ToList();

    /// <inheritdoc />
    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
        _entries.Enqueue((agentEvent, message, exception));
    }

    /// <inheritdoc />
    public bool IsEnabled(AgentEventLevel level) => true; // every message is built: formatting code is production code too

    /// <summary>Throws a finding for the first entry under one of <paramref name="events"/>.</summary>
    public void ThrowIfAny(params AgentEvent[] events)
    {
        var all = Of(events);
        if (all.Count > 0)
        {
            var found = all[0];
            throw found.Exception is null
                ? new FuzzFindingException($"event {found.Event.Id} {found.Event.Name}: {found.Message}")
                : new FuzzFindingException($"event {found.Event.Id} {found.Event.Name}: {found.Message}", found.Exception);
        }
    }
}
