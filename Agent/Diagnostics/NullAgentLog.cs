using System;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>A log that drops everything; for hosts that have not configured logging yet.</summary>
internal sealed class NullAgentLog : IAgentLog
{
    /// <summary>The shared instance.</summary>
    public static readonly NullAgentLog Instance = new();

    private NullAgentLog()
    {
    }

    /// <inheritdoc />
    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
    }

    /// <inheritdoc />
    public bool IsEnabled(AgentEventLevel level) => false;
}
