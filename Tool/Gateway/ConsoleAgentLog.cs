using System;
using System.Globalization;
using System.IO;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// The gateway logs to stdout, one line per event, as systemd's journal (and any supervisor) expects from a
/// foreground service: "TIME LEVEL ID NAME: message". Same catalogue IDs as the agent (docs/event-ids.md).
/// </summary>
internal sealed class ConsoleAgentLog : IAgentLog
{
    private readonly TextWriter _writer;
    private readonly AgentEventLevel _minimum;
    private readonly object _lock = new();

    public ConsoleAgentLog(TextWriter writer, AgentEventLevel minimum)
    {
        _writer = writer;
        _minimum = minimum;
    }

    public bool IsEnabled(AgentEventLevel level) => level >= _minimum;

    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        if (!IsEnabled(agentEvent.Level))
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {agentEvent.Level.ToString().ToUpperInvariant()} {agentEvent.Id} {agentEvent.Name}: {message}");
        if (exception is not null)
        {
            // Type and message only: stack traces belong to a debugger, and never carry message content here.
            line += $" ({exception.GetType().FullName}: {exception.Message})";
        }

        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}
