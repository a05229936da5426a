using System;
using NLog;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// <see cref="IAgentLog"/> over a private NLog <see cref="LogFactory"/>. Each entry carries the catalogue ID as the
/// event property <c>EventId</c> (used by the event-log target) and its name as <c>EventName</c>.
/// </summary>
internal sealed class NLogAgentLog : IAgentLog
{
    /// <summary>The logger name every agent entry uses; NLog.config rules select on it.</summary>
    public const string LoggerName = "ExchangeEncryptionAgent";

    private readonly Logger _logger;

    /// <summary>Writes through <paramref name="factory"/>, which the caller owns.</summary>
    public NLogAgentLog(LogFactory factory)
    {
        _logger = Guard.NotNull(factory).GetLogger(LoggerName);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Never throws, whatever the configuration says: many log calls sit where an exception would escape into
    /// Exchange (a fail-safe path, a catch block), and a full disk or a broken target must not stop mail flow.
    /// </remarks>
    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
        Guard.NotNull(agentEvent);
        try
        {
            var level = ToNLog(agentEvent.Level);
            if (!_logger.IsEnabled(level))
            {
                return;
            }

            var entry = new LogEventInfo(level, LoggerName, message) { Exception = exception };
            entry.Properties["EventId"] = agentEvent.Id;
            entry.Properties["EventName"] = agentEvent.Name;
            _logger.Log(entry);
        }
#pragma warning disable CA1031 // A log entry that cannot be written is lost; the message it describes is not.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <inheritdoc />
    public bool IsEnabled(AgentEventLevel level)
    {
        try
        {
            return _logger.IsEnabled(ToNLog(level));
        }
#pragma warning disable CA1031 // See Write.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    internal static LogLevel ToNLog(AgentEventLevel level) => level switch
    {
        AgentEventLevel.Debug => LogLevel.Debug,
        AgentEventLevel.Information => LogLevel.Info,
        AgentEventLevel.Warning => LogLevel.Warn,
        _ => LogLevel.Error,
    };
}
