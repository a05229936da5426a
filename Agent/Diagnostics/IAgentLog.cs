using System;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// Where the agent says what it did. Every entry carries a catalogue event (stable ID). Callers never pass message
/// bodies, key material or passwords: addresses, rule names, message IDs and certificate thumbprints only.
/// </summary>
public interface IAgentLog
{
    /// <summary>Writes <paramref name="message"/> under <paramref name="agentEvent"/> at the event's own level.</summary>
    void Write(AgentEvent agentEvent, string message, Exception? exception = null);

    /// <summary>True when entries at <paramref name="level"/> would be written (skip building costly messages otherwise).</summary>
    bool IsEnabled(AgentEventLevel level);
}
