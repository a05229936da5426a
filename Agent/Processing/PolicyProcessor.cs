using System;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The engine hosts run: takes the policy in force at the moment the message arrives (one atomic read of the
/// watcher's value) and plans with it; without a valid policy, the no-policy outcome applies.
/// </summary>
internal sealed class PolicyProcessor : IStagedMessageProcessor
{
    private readonly Func<LoadedPolicy?> _current;
    private readonly AgentSettings _settings;
    private readonly IAgentLog _log;
    private readonly NoPolicyProcessor _noPolicy;
    private readonly TemporaryFileFactory _temporaryFiles;

    /// <summary>
    /// Creates the processor over <paramref name="current"/> (for example PolicyWatcher.Current); large attachments
    /// are inspected through <paramref name="temporaryFiles"/>, the runtime's spool.
    /// </summary>
    public PolicyProcessor(Func<LoadedPolicy?> current, AgentSettings settings, IAgentLog log, TemporaryFileFactory temporaryFiles)
    {
        _current = Guard.NotNull(current);
        _temporaryFiles = Guard.NotNull(temporaryFiles);
        _settings = Guard.NotNull(settings);
        _log = Guard.NotNull(log);
        _noPolicy = new NoPolicyProcessor(settings, log, "the policy file is missing or invalid; see the policy load events");
    }

    /// <inheritdoc />
    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken)
        => Plan(envelope, content, nowUtc, PlanningStage.Complete, cancellationToken);

    /// <inheritdoc />
    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, PlanningStage stage, CancellationToken cancellationToken)
    {
        var policy = _current();
        return policy is null
            ? _noPolicy.Plan(envelope, content, nowUtc, stage, cancellationToken)
            : new MessagePlanner(policy, _settings, _log, nowUtc, _temporaryFiles).Plan(envelope, content, stage);
    }
}
