using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Tests.Smime.Support;

/// <summary>Keeps every event written, for assertions.</summary>
internal sealed class CollectingAgentLog : IAgentLog
{
    public List<(AgentEvent Event, string Message, Exception? Exception)> Entries { get; } = new();

    public void Write(AgentEvent agentEvent, string message, Exception? exception = null) => Entries.Add((agentEvent, message, exception));

    public bool IsEnabled(AgentEventLevel level) => true;

    public bool Has(AgentEvent agentEvent) => Entries.Any(e => e.Event.Id == agentEvent.Id);

    public IEnumerable<string> MessagesOf(AgentEvent agentEvent) => Entries.Where(e => e.Event.Id == agentEvent.Id).Select(e => e.Message);
}
