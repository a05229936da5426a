using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// The gateway logs to stdout, one line per event, as systemd's journal (and any supervisor) expects from a
/// foreground service: "TIME LEVEL ID NAME: message". Same catalogue IDs as the agent (docs/event-ids.md).
/// Lines are written by one background thread, flushed when it has caught up: a synchronous write and flush per
/// line held the message's SMTP session (and, through the lock, every other session) while the journal or a pipe
/// was slow. Nothing is dropped: when the writer is <see cref="Capacity"/> lines behind, callers wait as before.
/// </summary>
internal sealed class ConsoleAgentLog : IAgentLog, IDisposable
{
    /// <summary>Lines queued before a caller waits for the writer: far more than a burst of messages logs.</summary>
    internal const int Capacity = 10_000;

    private readonly TextWriter _writer;
    private readonly AgentEventLevel _minimum;
    private readonly BlockingCollection<string> _lines = new(Capacity);
    private readonly Thread _thread;

    public ConsoleAgentLog(TextWriter writer, AgentEventLevel minimum)
    {
        _writer = writer;
        _minimum = minimum;
        _thread = new Thread(WriteLines) { IsBackground = true, Name = "eea gateway log" };
        _thread.Start();
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

        if (!_lines.IsAddingCompleted)
        {
            try
            {
                _lines.Add(line);
                return;
            }
            catch (InvalidOperationException)
            {
                // Disposed meanwhile (the gateway is stopping): written directly below.
            }
        }

        lock (_writer)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <summary>Writes what is still queued and stops the writer: the last lines (GatewayStopped) are not lost.</summary>
    public void Dispose()
    {
        _lines.CompleteAdding();
        _thread.Join();
        _lines.Dispose();
    }

    private void WriteLines()
    {
        foreach (var line in _lines.GetConsumingEnumerable())
        {
            lock (_writer)
            {
                _writer.WriteLine(line);
                if (_lines.Count == 0)
                {
                    _writer.Flush();
                }
            }
        }
    }
}
