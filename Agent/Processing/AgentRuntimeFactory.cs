using System;
using System.IO;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>Builds the <see cref="AgentRuntime"/> for a host. Never throws: the worst case is the no-policy mode.</summary>
public static class AgentRuntimeFactory
{
    /// <summary>
    /// For the Exchange agent: NLog.config, AgentSettings.xml and the policy from <paramref name="agentDirectory"/>.
    /// </summary>
    public static AgentRuntime CreateForExchange(string agentDirectory)
    {
        AgentLogSetup? logging = null;
        var settings = new AgentSettings();
        try
        {
            logging = AgentLogging.Create(agentDirectory);
            settings = AgentSettings.Load(Path.Combine(agentDirectory, AgentSettings.FileName), out var problem);
            if (problem is not null)
            {
                logging.Log.Write(EventIds.AgentSettingsInvalid, problem + " The fail-closed defaults are used.");
            }

            return Create(agentDirectory, settings, logging.Log, logging);
        }
#pragma warning disable CA1031 // The factory must construct whatever happens (a throwing factory stops the transport service).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            IAgentLog log = logging?.Log ?? NullAgentLog.Instance;
            SafeWrite(log, EventIds.AgentFactoryStartFailed, $"Start-up failed: {ex.GetType().FullName}: {ex.Message}");
            var chain = new TransformChain(Path.Combine(Path.GetTempPath(), "ExchangeEncryptionAgent"));
            return new AgentRuntime(settings, log, new NoPolicyProcessor(settings, log, "the agent could not start: " + ex.GetType().Name), chain, logging);
        }
    }

    /// <summary>Builds the runtime for <paramref name="settings"/>, with the policy loaded from its PolicyFile.</summary>
    public static AgentRuntime Create(string agentDirectory, AgentSettings settings, IAgentLog log, IDisposable? resources)
    {
        Guard.NotNull(settings);
        var chain = new TransformChain(AgentSettings.Resolve(agentDirectory, settings.TemporaryDirectory));
        var processor = new NoPolicyProcessor(settings, log, "the policy engine is not wired yet");
        return new AgentRuntime(settings, log, processor, chain, resources);
    }

    private static void SafeWrite(IAgentLog log, AgentEvent agentEvent, string message)
    {
        try
        {
            log.Write(agentEvent, message);
        }
#pragma warning disable CA1031 // Logging must not break start-up.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
