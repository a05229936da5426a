using System;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Everything a host needs to run the engine: settings, log, the processor, the spool. Built once per transport
/// service (by the agent factory) or per run (by the tool); shared by every agent instance; thread-safe.
/// </summary>
public sealed class AgentRuntime : IDisposable
{
    private readonly IDisposable? _resources;

    /// <summary>Creates a runtime; <paramref name="resources"/> (log factory, policy watcher) are disposed with it.</summary>
    public AgentRuntime(AgentSettings settings, IAgentLog log, IMessageProcessor processor, TransformChain chain, IDisposable? resources = null)
    {
        Settings = Guard.NotNull(settings);
        Log = Guard.NotNull(log);
        Processor = Guard.NotNull(processor);
        Chain = Guard.NotNull(chain);
        _resources = resources;
    }

    /// <summary>Host settings (failure outcomes, retry interval).</summary>
    public AgentSettings Settings { get; }

    /// <summary>Where events go.</summary>
    public IAgentLog Log { get; }

    /// <summary>The engine.</summary>
    public IMessageProcessor Processor { get; }

    /// <summary>Runs a copy's transforms through temporary files.</summary>
    public TransformChain Chain { get; }

    /// <inheritdoc />
    public void Dispose() => _resources?.Dispose();
}
