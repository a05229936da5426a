using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Processing;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>
/// The runtime Exchange builds (AgentRuntimeFactory.Create: settings, policy file watched and reloaded with its
/// certificates, spool folder), in a folder of its own, for one fault cell or one soak. The processor can be wrapped
/// (engine and crypto faults, the time limit) and the log is a <see cref="RecordingLog"/>.
/// </summary>
internal sealed class ReliabilityRig : IDisposable
{
    private readonly AgentRuntime _inner;
    private readonly EncryptionRoutingAgentFactory _factory;
    private bool _disposed;

    public ReliabilityRig(PipelineFixture fixture, TimeSpan? processingTimeLimit = null, Func<IStagedMessageProcessor, IStagedMessageProcessor>? wrap = null, bool keepLogText = true, Action<string>? beforeLoad = null,
        Func<IMessageTransform, IMessageTransform>? decorate = null)
    {
        Root = Directory.CreateTempSubdirectory("eea-reliability-").FullName;
        var agentDirectory = Path.Combine(Root, "agent");
        Pki = Path.Combine(agentDirectory, "Policies", "pki");
        Directory.CreateDirectory(Pki);
        foreach (var file in Directory.GetFiles(Path.Combine(fixture.Directory, "pki")))
        {
            File.Copy(file, Path.Combine(Pki, Path.GetFileName(file)));
        }

        PolicyFile = Path.Combine(agentDirectory, "Policies", "policy.xml");
        ValidPolicy = File.ReadAllText(fixture.WritePolicy(Traffic.Rules));
        File.WriteAllText(PolicyFile, ValidPolicy);
        beforeLoad?.Invoke(Pki);
        Spool = Path.Combine(Root, "spool");
        SimulatorTemp = Path.Combine(Root, "simulator");
        Directory.CreateDirectory(SimulatorTemp);
        Log = new RecordingLog(keepLogText);
        Settings = new AgentSettings
        {
            TemporaryDirectory = Spool,
            ProcessingTimeLimit = processingTimeLimit ?? TimeSpan.FromMinutes(5),
        };
        _inner = AgentRuntimeFactory.Create(agentDirectory, Settings, Log, null);
        var processor = (IStagedMessageProcessor)_inner.Processor;
        Runtime = new AgentRuntime(Settings, Log, wrap?.Invoke(processor) ?? processor, new CopyBuilder(_inner.TemporaryFiles, Log, decorate));

        // One factory for every message, as on a server: its decision store lives as long as the transport service.
        _factory = new EncryptionRoutingAgentFactory(Runtime);
    }

    public string Root { get; }

    public string Pki { get; }

    public string PolicyFile { get; }

    public string ValidPolicy { get; }

    public string Spool { get; }

    public string SimulatorTemp { get; }

    public AgentSettings Settings { get; }

    public RecordingLog Log { get; }

    public AgentRuntime Runtime { get; }

    /// <summary>Files left in the spool folder (0 when it is gone or not a folder).</summary>
    public int SpoolFilesLeft => Directory.Exists(Spool) ? Directory.GetFiles(Spool, "*", SearchOption.AllDirectories).Length : 0;

    /// <summary>Runs one message through the simulated transport and the real agent.</summary>
    public SimulationResult Run(TrafficMessage message, TransportSimulatorOptions? faults = null)
    {
        var options = new TransportSimulatorOptions
        {
            AcceptedDomains = new[] { "contoso.example" },
            TemporaryDirectory = SimulatorTemp,
            DeferFault = faults?.DeferFault,
            ForkFault = faults?.ForkFault,
            RoutingOverrideFault = faults?.RoutingOverrideFault,
            RecipientRemoveFault = faults?.RecipientRemoveFault,
            WriteStreamFault = faults?.WriteStreamFault,
        };
        return new TransportSimulator(options).Run(_factory, message.ToSimulated());
    }

    /// <summary>Waits until <paramref name="count"/> events of <paramref name="agentEvent"/> were logged (the watcher reloads after a debounce).</summary>
    public bool WaitForEvent(ExchangeEncryptionAgent.Diagnostics.AgentEvent agentEvent, long count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Log.Count(agentEvent) < count)
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            Thread.Sleep(25);
        }

        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _factory.Close();
        _inner.Dispose();
        TemporaryFileFactory.FaultInjectors.TryRemove(Spool, out _);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file put in the spool folder's place (a fault cell) is removed with the rest; anything else the OS cleans.
        }
    }
}
