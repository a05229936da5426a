using System;
using NLog;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// <see cref="IAgentLog"/> over a private NLog <see cref="LogFactory"/>. Each entry carries the catalogue ID as the
/// event property <c>EventId</c> (used by the event-log target) and its name as <c>EventName</c>.
/// </summary>
public sealed class NLogAgentLog : IAgentLog
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
    public void Write(AgentEvent agentEvent, string message, Exception? exception = null)
    {
        Guard.NotNull(agentEvent);
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

    /// <inheritdoc />
    public bool IsEnabled(AgentEventLevel level) => _logger.IsEnabled(ToNLog(level));

    internal static LogLevel ToNLog(AgentEventLevel level) => level switch
    {
        AgentEventLevel.Debug => LogLevel.Debug,
        AgentEventLevel.Information => LogLevel.Info,
        AgentEventLevel.Warning => LogLevel.Warn,
        _ => LogLevel.Error,
    };
}
