using System;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Everything a host needs to run the engine: settings, log, the processor (deciding), the copy builder (building) and
/// its spool. Built once per transport
/// service (by the agent factory) or per run (by the tool); shared by every agent instance; thread-safe.
/// </summary>
public sealed class AgentRuntime : IDisposable
{
    private readonly IDisposable? _resources;

    /// <summary>Creates a runtime; <paramref name="resources"/> (log factory, policy watcher) are disposed with it.</summary>
    public AgentRuntime(AgentSettings settings, IAgentLog log, IMessageProcessor processor, CopyBuilder builder, IDisposable? resources = null)
    {
        Settings = Guard.NotNull(settings);
        Log = Guard.NotNull(log);
        Processor = Guard.NotNull(processor);
        Builder = Guard.NotNull(builder);
        _resources = resources;
    }

    /// <summary>Host settings (failure outcomes, retry interval).</summary>
    public AgentSettings Settings { get; }

    /// <summary>Where events go.</summary>
    public IAgentLog Log { get; }

    /// <summary>The engine's deciding half: one plan per message.</summary>
    public IMessageProcessor Processor { get; }

    /// <summary>The engine's building half: each planned copy's content, through the runtime's one spool.</summary>
    public CopyBuilder Builder { get; }

    /// <summary>The runtime's one temporary-file factory (AgentSettings.TemporaryDirectory), for hosts that spool too.</summary>
    public TemporaryFileFactory TemporaryFiles => Builder.TemporaryFiles;

    /// <inheritdoc />
    public void Dispose() => _resources?.Dispose();
}
