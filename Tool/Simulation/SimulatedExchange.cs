using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tool.Simulation;

/// <summary>
/// Runs a message through the real agent factory inside the transport simulator, exactly as the agent would run in
/// Exchange, and remembers what each plan said about the copies (protection, certificates) for plan.json.
/// </summary>
internal sealed class SimulatedExchange : IDisposable
{
    private readonly RecordingProcessor _recorder;
    private readonly IReadOnlyList<string> _organizationDomains;
    private readonly EncryptionRoutingAgentFactory _factory;

    private readonly string? _temporaryDirectory;

    /// <summary>
    /// <paramref name="temporaryDirectory"/>: where the simulated transport keeps its content files (null: the system's
    /// temporary folder); on the volume of the output folder, the copies written there are renamed, not copied.
    /// </summary>
    public SimulatedExchange(AgentRuntime runtime, IReadOnlyList<string> organizationDomains, string? temporaryDirectory = null)
    {
        _temporaryDirectory = temporaryDirectory;
        _recorder = new RecordingProcessor(runtime.Processor);
        _organizationDomains = organizationDomains;

        // One factory for the session, as one transport service has; the recorder sits between agent and engine.
        // The caller keeps owning the runtime's resources, so the factory's runtime owns none.
        _factory = new EncryptionRoutingAgentFactory(new AgentRuntime(runtime.Settings, runtime.Log, _recorder, runtime.Builder));
    }

    /// <summary>
    /// Processes the message in the file <paramref name="contentPath"/>, which the simulator reads in place (it must not
    /// change meanwhile); the caller disposes the result (it owns the copies' temporary files).
    /// </summary>
    public SimulatedRun Run(string mailFrom, IReadOnlyList<string> recipients, string contentPath, SubmissionOrigin? origin = null)
    {
        var simulated = recipients.Select(r => new SimulatedRecipient(r, IsInternal(r))).ToList();
        var options = new TransportSimulatorOptions { AcceptedDomains = _organizationDomains.ToArray(), TemporaryDirectory = _temporaryDirectory };
        var message = new SimulatedMessage(mailFrom.Length == 0 ? "<>" : mailFrom, simulated, () => File.OpenRead(contentPath))
        {
            Origin = ToSimulated(origin),
            ContentPath = Path.GetFullPath(contentPath),
        };
        var result = new TransportSimulator(options).Run(_factory, message);
        var envelope = _recorder.TakeEnvelope();
        return new SimulatedRun(result, _recorder.TakeCopies()) { Envelope = envelope };
    }

    /// <summary>The simulator's submission kinds; Unknown and null let the simulator decide from MAIL FROM.</summary>
    private static SimulatedOrigin? ToSimulated(SubmissionOrigin? origin) => origin switch
    {
        SubmissionOrigin.Mailbox => SimulatedOrigin.Mailbox,
        SubmissionOrigin.SmtpAuthenticated => SimulatedOrigin.SmtpAuthenticated,
        SubmissionOrigin.SmtpAnonymous => SimulatedOrigin.SmtpAnonymous,
        SubmissionOrigin.Pickup => SimulatedOrigin.Pickup,
        _ => null,
    };

    /// <summary>Closes the factory, as the transport service does at shutdown.</summary>
    public void Dispose() => _factory.Close();

    private bool IsInternal(string address)
    {
        var domain = CertificateNames.DomainOf(address);
        return _organizationDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Records every copy of each deciding plan: the adapter applies one copy per mail item and fork clones keep the copy
    /// decided for their recipients, so each planned copy is what some delivered copy became. Passes the stage on, so
    /// the agent runs its three Exchange phases as on a server.
    /// </summary>
    private sealed class RecordingProcessor : IStagedMessageProcessor
    {
        private readonly IMessageProcessor _inner;
        private readonly List<PlannedCopy> _copies = new();

        public RecordingProcessor(IMessageProcessor inner) => _inner = inner;

        public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken)
            => Record(_inner.Plan(envelope, content, nowUtc, cancellationToken), envelope);

        public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, PlanningStage stage, CancellationToken cancellationToken)
        {
            if (_inner is not IStagedMessageProcessor staged)
            {
                return stage == PlanningStage.Inbound
                    ? ProcessingPlan.PassThrough(envelope.Recipients.Select(r => r.Address), "one-shot engine")
                    : Plan(envelope, content, nowUtc, cancellationToken);
            }

            var plan = staged.Plan(envelope, content, nowUtc, stage, cancellationToken);
            return stage == PlanningStage.Inbound ? plan : Record(plan, envelope);
        }

        private ProcessingPlan Record(ProcessingPlan plan, MessageEnvelope envelope)
        {
            lock (_copies)
            {
                _copies.AddRange(plan.Copies);
                Envelopes.Add(envelope);
            }

            return plan;
        }

        /// <summary>Every envelope the agent built (what the host told it), in order.</summary>
        public List<MessageEnvelope> Envelopes { get; } = new();

        public MessageEnvelope? TakeEnvelope()
        {
            lock (_copies)
            {
                var first = Envelopes.FirstOrDefault();
                Envelopes.Clear();
                return first;
            }
        }

        public List<PlannedCopy> TakeCopies()
        {
            lock (_copies)
            {
                var copies = _copies.ToList();
                _copies.Clear();
                return copies;
            }
        }
    }
}

/// <summary>What one message became: the simulator's result and the planned copy behind each delivered one.</summary>
internal sealed class SimulatedRun : IDisposable
{
    private readonly IReadOnlyList<PlannedCopy> _planned;

    public SimulatedRun(SimulationResult result, IReadOnlyList<PlannedCopy> planned)
    {
        Result = result;
        _planned = planned;
    }

    public SimulationResult Result { get; }

    /// <summary>The envelope the agent built for the message (what the host said about it); null when it never planned.</summary>
    public MessageEnvelope? Envelope { get; init; }

    /// <summary>The plan's copy for a delivered copy (matched by its recipients), or null when the agent left it alone.</summary>
    public PlannedCopy? PlannedFor(DeliveredCopy delivered)
        => _planned.LastOrDefault(p => p.Recipients.Count == delivered.RecipientAddresses.Count
            && p.Recipients.All(r => delivered.RecipientAddresses.Contains(r, StringComparer.OrdinalIgnoreCase)));

    /// <summary>The protection keyword plan.json and the demo manifest use (decrypted inbound mail is delivered as "none").</summary>
    public static string ProtectionName(PlannedCopy? copy)
        => copy is null || copy.Protection == CopyProtection.Decrypted ? "none" : CopyProtectionNames.Keyword(copy.Protection);

    public static IReadOnlyList<X509Certificate> EncryptedFor(PlannedCopy? copy) => copy?.EncryptedFor ?? Array.Empty<X509Certificate>();

    public void Dispose() => Result.Dispose();
}
