using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>
/// An IAgentLog that counts every event the agent tried to write (and, unless told not to, keeps the text), and can be
/// switched to throw on every write (the "logger throwing" seam): the attempt is still counted, so a test can tell which
/// documented event the agent reached. The soak keeps counts only, so the log itself does not grow with traffic.
/// </summary>
internal sealed class RecordingLog : IAgentLog
{
    private readonly ConcurrentQueue<(int Id, string Message)> _entries = new();
    private readonly ConcurrentDictionary<int, long> _counts = new();
    private readonly bool _keepText;
    private volatile bool _broken;

    public RecordingLog(bool keepText = true) => _keepText = keepText;

    /// <summary>From now on every write throws (after counting the attempt).</summary>
    public void Break() => _broken = true;

    /// <summary>Forgets everything recorded so far (after a warm-up message).</summary>
    public void Reset()
    {
        _entries.Clear();
        _counts.Clear();
    }

    public IReadOnlyList<(int Id, string Message)> Entries => _entries.ToList();

    public IReadOnlyDictionary<int, long> Counts => new Dictionary<int, long>(_counts);

    public bool Logged(AgentEvent agentEvent) => Count(agentEvent) > 0;

    public long Count(AgentEvent agentEvent) => _counts.TryGetValue(agentEvent.Id, out var n) ? n : 0;

    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
        _counts.AddOrUpdate(agentEvent.Id, 1, (_, n) => n + 1);
        if (_keepText)
        {
            _entries.Enqueue((agentEvent.Id, message));
        }

        if (_broken)
        {
            throw new InvalidOperationException("Injected fault: the log target is broken.");
        }
    }

    public bool IsEnabled(AgentEventLevel level) => _keepText || level >= AgentEventLevel.Information;

    public override string ToString() => string.Join("\n", _entries.Select(e => e.Id + " " + e.Message));
}
