using System;
using System.IO;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;

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
            settings = AgentSettings.Load(Path.Combine(agentDirectory, AgentSettings.FileName), out var problem, out var badValues);
            if (problem is not null)
            {
                logging.Log.Write(EventIds.AgentSettingsInvalid, problem + " The fail-closed defaults are used.");
            }

            foreach (var badValue in badValues)
            {
                logging.Log.Write(EventIds.AgentSettingValueInvalid, AgentSettings.FileName + ": " + badValue);
            }

            return Create(agentDirectory, settings, logging.Log, logging);
        }
#pragma warning disable CA1031 // The factory must construct whatever happens (a throwing factory stops the transport service).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            IAgentLog log = logging?.Log ?? NullAgentLog.Instance;
            SafeWrite(log, EventIds.AgentFactoryStartFailed, $"Start-up failed: {ExceptionSummary.Describe(ex)}. Stack: {ExceptionSummary.Frames(ex)}");
            // The no-policy outcome builds nothing but the forged-field removal; it still spools only in the agent's folder.
            var builder = new CopyBuilder(new TemporaryFileFactory(SpoolFolder(agentDirectory, settings), TemporaryFileFactory.SmallSpoolBytes), log);
            return new AgentRuntime(settings, log, new NoPolicyProcessor(settings, log, "the agent could not start: " + ex.GetType().Name), builder, logging);
        }
    }

    /// <summary>
    /// Builds the runtime for <paramref name="settings"/>: the policy (with its certificates) is loaded now and
    /// reloaded whenever a file under the policy's folder changes; an invalid version never replaces a valid one.
    /// </summary>
    public static AgentRuntime Create(string agentDirectory, AgentSettings settings, IAgentLog log, IDisposable? resources)
        => Create(agentDirectory, settings, log, resources, watcherOptions: null);

    /// <summary>As above, with the watcher's clock and change trigger given (tests drive reloads by hand).</summary>
    internal static AgentRuntime Create(string agentDirectory, AgentSettings settings, IAgentLog log, IDisposable? resources, PolicyWatcherOptions? watcherOptions)
    {
        Guard.NotNull(settings);
        Guard.NotNull(log);
        var temporaryFiles = new TemporaryFileFactory(SpoolFolder(agentDirectory, settings), TemporaryFileFactory.SmallSpoolBytes);
        var policyPath = AgentSettings.Resolve(agentDirectory, settings.PolicyFile);
        var watcher = new PolicyWatcher<LoadedPolicy>(
            Path.GetDirectoryName(policyPath) ?? agentDirectory,
            () => LoadedPolicy.Load(policyPath, log),
            log,
            watcherOptions);
        watcher.Start();
        var processor = new PolicyProcessor(() => watcher.Current, settings, log, temporaryFiles);
        return new AgentRuntime(settings, log, processor, new CopyBuilder(temporaryFiles, log), new CompositeDisposable(watcher, resources));
    }

    /// <summary>
    /// For one-shot hosts (the tool): a runtime over an already loaded policy that never changes, spooling in
    /// <paramref name="temporaryDirectory"/> (the caller's choice; there is no default).
    /// </summary>
    public static AgentRuntime CreateForPolicy(LoadedPolicy policy, AgentSettings settings, IAgentLog log, string temporaryDirectory)
    {
        Guard.NotNull(policy);
        var temporaryFiles = new TemporaryFileFactory(temporaryDirectory, TemporaryFileFactory.SmallSpoolBytes);
        var processor = new PolicyProcessor(() => policy, settings, log, temporaryFiles);
        return new AgentRuntime(settings, log, processor, new CopyBuilder(temporaryFiles, log));
    }

    /// <summary>AgentSettings.TemporaryDirectory, relative to the agent folder unless absolute (default Logs\spool).</summary>
    private static string SpoolFolder(string agentDirectory, AgentSettings settings)
        => AgentSettings.Resolve(agentDirectory, settings.TemporaryDirectory);

    /// <summary>Disposes several resources, in order, each even if an earlier one throws.</summary>
    private sealed class CompositeDisposable : IDisposable
    {
        private readonly IDisposable?[] _items;

        public CompositeDisposable(params IDisposable?[] items) => _items = items;

        public void Dispose()
        {
            foreach (var item in _items)
            {
                try
                {
                    item?.Dispose();
                }
#pragma warning disable CA1031 // Shutdown disposes everything it can.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
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
