using System;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>The private log factory and the agent log over it. Dispose flushes and closes the files.</summary>
public sealed class AgentLogSetup : IDisposable
{
    internal AgentLogSetup(LogFactory factory, IAgentLog log)
    {
        Factory = factory;
        Log = log;
    }

    /// <summary>The private NLog factory (never the global LogManager).</summary>
    public LogFactory Factory { get; }

    /// <summary>Where the agent writes its events.</summary>
    public IAgentLog Log { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Factory.Flush(TimeSpan.FromSeconds(5));
        Factory.Dispose();
    }
}
