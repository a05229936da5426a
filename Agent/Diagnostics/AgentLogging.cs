using System;
using System.IO;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// Builds the agent's private NLog <see cref="LogFactory"/>. NLog would look for NLog.config beside the host
/// (Exchange's bin folder) and share the global LogManager with other agents, so we never use either: the
/// configuration is read from NLog.config beside our own DLL, and when that file is missing or broken a built-in
/// safe configuration (rolling file, plus the Windows event log where it exists) takes its place.
/// </summary>
public static class AgentLogging
{
    /// <summary>The configuration file name looked for beside the agent DLL.</summary>
    public const string ConfigFileName = "NLog.config";

    /// <summary>The event-log source the installer creates (Application log).</summary>
    public const string EventLogSource = "ExchangeEncryptionAgent";

    /// <summary>
    /// Creates the factory for <paramref name="agentDirectory"/>. Never throws: any problem with the file is
    /// reported through the returned log as <see cref="EventIds.LoggingConfigurationInvalid"/>.
    /// </summary>
    public static AgentLogSetup Create(string agentDirectory)
    {
        var factory = NewFactory();
        var logDirectory = Path.Combine(agentDirectory, "Logs");
        var configPath = Path.Combine(agentDirectory, ConfigFileName);
        string? problem = null;
        try
        {
            if (File.Exists(configPath))
            {
                var configuration = new XmlLoggingConfiguration(configPath, factory);
                configuration.Variables["logDirectory"] = logDirectory;
                factory.Configuration = configuration;
            }
            else
            {
                problem = $"{configPath} does not exist.";
            }
        }
        catch (Exception ex) when (ex is NLogConfigurationException or IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            problem = $"{configPath}: {ex.Message}";
        }

        if (problem is not null)
        {
            factory.Configuration = BuiltInConfiguration(factory, logDirectory);
        }

        // An NLog.config with throwExceptions="true" sets it on the factory while it loads (and again on every
        // automatic reload): a failing target would then throw out of a log call, some of which sit outside any try
        // block, and crash EdgeTransport.exe. The file decides what is logged where, never whether logging may throw.
        ForceQuiet(factory);
        factory.ConfigurationChanged += (_, _) => ForceQuiet(factory);
        var log = new NLogAgentLog(factory);
        if (problem is not null)
        {
            log.Write(EventIds.LoggingConfigurationInvalid, problem);
        }

        return new AgentLogSetup(factory, log);
    }

    /// <summary>A factory whose only target is an in-memory list; for tests and the command-line tool.</summary>
    public static AgentLogSetup CreateInMemory(out MemoryTarget target, AgentEventLevel minimum = AgentEventLevel.Debug)
    {
        var factory = NewFactory();
        target = new MemoryTarget("memory")
        {
            Layout = "${level:uppercase=true}|${event-properties:item=EventId}|${message}${onexception:|${exception:format=type,message}}",
            MaxLogsCount = 100_000,
        };
        var configuration = new LoggingConfiguration(factory);
        configuration.AddRule(NLogAgentLog.ToNLog(minimum), LogLevel.Fatal, target);
        factory.Configuration = configuration;
        return new AgentLogSetup(factory, new NLogAgentLog(factory));
    }

    private static void ForceQuiet(LogFactory factory)
    {
        factory.ThrowExceptions = false;
        factory.ThrowConfigExceptions = false;
    }

    private static LogFactory NewFactory()
    {
        // ThrowExceptions stays false: a logging failure must never become an exception inside EdgeTransport.exe.
        // ThrowConfigExceptions is true only while NLog.config is read, so a broken file falls back (event 1002).
        var factory = new LogFactory { ThrowExceptions = false, ThrowConfigExceptions = true };
#if !NETFRAMEWORK
        // The event log exists where the agent runs (net48 on Windows). The net10 build serves tests and the tool,
        // so the shipped NLog.config must still load there: its EventLog target becomes a no-op.
        factory.Setup().SetupExtensions(extensions => extensions.RegisterTarget<UnavailableEventLogTarget>("EventLog"));
#endif
        return factory;
    }

    private static LoggingConfiguration BuiltInConfiguration(LogFactory factory, string logDirectory)
    {
        var configuration = new LoggingConfiguration(factory);
        var file = new FileTarget("file")
        {
            FileName = Path.Combine(logDirectory, "agent.log"),
            Layout = "${longdate}|${level:uppercase=true}|${event-properties:item=EventId}|${message}${onexception:|${exception:format=type,message}}",
            ArchiveAboveSize = 10 * 1024 * 1024,
            MaxArchiveFiles = 10,
        };
        configuration.AddRule(LogLevel.Info, LogLevel.Fatal, file);
#if NETFRAMEWORK
        var eventLog = new EventLogTarget("eventlog")
        {
            Source = EventLogSource,
            Log = "Application",
            EventId = "${event-properties:item=EventId}",
            Layout = "${message}${onexception:${newline}${exception:format=type,message}}",
        };
        configuration.AddRule(LogLevel.Warn, LogLevel.Fatal, eventLog);
#endif
        return configuration;
    }

#if !NETFRAMEWORK
    /// <summary>Stands in for NLog's EventLog target where there is no Windows event log.</summary>
    [Target("EventLog")]
    internal sealed class UnavailableEventLogTarget : TargetWithLayout
    {
        public string? Source { get; set; }

        public string? Log { get; set; }

        public Layout<int>? EventId { get; set; }

        public string? OnOverflow { get; set; }

        public int MaxMessageLength { get; set; }

        protected override void Write(LogEventInfo logEvent)
        {
        }
    }
#endif
}
