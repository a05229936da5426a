using System;
using System.IO;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// What Install-TransportAgent registers (-TransportAgentFactory ExchangeEncryptionAgent.Exchange.EncryptionRoutingAgentFactory).
/// Exchange stops the whole transport service when a factory constructor throws, so this one never does: whatever
/// fails while starting is logged and the agent runs in its no-policy mode (default: defer every message).
/// </summary>
public sealed class EncryptionRoutingAgentFactory : RoutingAgentFactory
{
    private readonly AgentRuntime _runtime;
    private readonly DecisionStore _decisions = new();

    static EncryptionRoutingAgentFactory()
    {
        // Before any MimeKit/BouncyCastle/NLog type is touched: bind our dependencies to our own folder.
        DependencyResolver.Register(AgentDirectory);
    }

    /// <summary>The constructor Exchange calls. Reads AgentSettings.xml, NLog.config and the policy beside the DLL.</summary>
    public EncryptionRoutingAgentFactory()
        : this(AgentRuntimeFactory.CreateForExchange(AgentDirectory))
    {
    }

    /// <summary>For other hosts of the same runtime (the simulator behind `eea process` and `eea demo`): a runtime built elsewhere.</summary>
    public EncryptionRoutingAgentFactory(AgentRuntime runtime)
    {
        _runtime = Guard.NotNull(runtime);
        SafeLog(EventIds.AgentFactoryStarted, "ExchangeEncryptionAgent factory started (version " + typeof(EncryptionRoutingAgentFactory).Assembly.GetName().Version + ").");
    }

    /// <summary>The folder the agent DLL was loaded from.</summary>
    internal static string AgentDirectory => Path.GetDirectoryName(typeof(EncryptionRoutingAgentFactory).Assembly.Location) ?? AppContext.BaseDirectory;

    /// <summary>A new agent per SmtpServer instance. Never throws: Exchange would run without us and mail could leave unprotected.</summary>
    public override RoutingAgent CreateAgent(SmtpServer server)
    {
        return new EncryptionRoutingAgent(_runtime, server, _decisions);
    }

    /// <summary>The decisions recorded at OnResolvedMessage (tests: forget them, as a transport restart would).</summary>
    internal DecisionStore Decisions => _decisions;

    /// <summary>Called at transport shutdown: stop watching files, flush logs.</summary>
    public override void Close()
    {
        SafeLog(EventIds.AgentFactoryStopped, "ExchangeEncryptionAgent factory closed.");
        try
        {
            _runtime.Dispose();
        }
#pragma warning disable CA1031 // Shutdown must complete whatever a disposer throws.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void SafeLog(AgentEvent agentEvent, string message)
    {
        try
        {
            _runtime.Log.Write(agentEvent, message);
        }
#pragma warning disable CA1031 // Logging must never throw into Exchange.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
