using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using NLog.Targets;

namespace ExchangeEncryptionAgent.Tests.Exchange;

/// <summary>Runs the real agent factory through the transport simulator with a scripted engine.</summary>
internal sealed class AgentHarness : IDisposable
{
    private readonly AgentLogSetup _logging;
    private readonly MemoryTarget _memory;
    private readonly string _temporaryDirectory = Directory.CreateTempSubdirectory("eea-agent-").FullName;

    public AgentHarness(Func<MessageEnvelope, Stream, ProcessingPlan> plan, AgentSettings? settings = null, Func<IMessageTransform, IMessageTransform>? decorate = null)
    {
        _logging = AgentLogging.CreateInMemory(out _memory);
        Processor = new ScriptedProcessor(plan);
        Runtime = new AgentRuntime(settings ?? new AgentSettings(), _logging.Log, Processor, new CopyBuilder(new TemporaryFileFactory(_temporaryDirectory), _logging.Log, decorate));
    }

    public ScriptedProcessor Processor { get; }

    public AgentRuntime Runtime { get; }

    public IReadOnlyList<string> Log => _memory.Logs.ToList();

    public SimulationResult Run(string mime, params SimulatedRecipient[] recipients)
        => Run(new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.com" } }, mime, recipients);

    public SimulationResult Run(TransportSimulatorOptions options, string mime, params SimulatedRecipient[] recipients)
        => new TransportSimulator(options).Run(() => new EncryptionRoutingAgentFactory(Runtime), SimulatedMessage.FromText("alice@contoso.com", recipients, mime));

    public bool Logged(AgentEvent agentEvent) => Log.Any(l => l.Contains($"|{agentEvent.Id}|", StringComparison.Ordinal));

    public int TemporaryFileCount => Directory.GetFiles(_temporaryDirectory).Length;

    public void Dispose()
    {
        _logging.Dispose();
        Directory.Delete(_temporaryDirectory, recursive: true);
    }

    internal sealed class ScriptedProcessor(Func<MessageEnvelope, Stream, ProcessingPlan> plan) : IMessageProcessor
    {
        private int _calls;

        public int Calls => _calls;

        public List<MessageEnvelope> Envelopes { get; } = new();

        public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            lock (Envelopes)
            {
                Envelopes.Add(envelope);
            }

            return plan(envelope, content);
        }
    }
}
