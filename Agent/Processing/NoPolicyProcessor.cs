using System;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The engine while no valid policy is loaded: every message gets the OnNoValidPolicy outcome (default: deferred,
/// so nothing a policy would protect leaves unprotected while the administrator fixes the file).
/// </summary>
public sealed class NoPolicyProcessor : IMessageProcessor
{
    private readonly AgentSettings _settings;
    private readonly IAgentLog _log;
    private readonly string _why;

    /// <summary>Creates the processor; <paramref name="why"/> says why there is no policy (logged with each message).</summary>
    public NoPolicyProcessor(AgentSettings settings, IAgentLog log, string why)
    {
        _settings = Guard.NotNull(settings);
        _log = Guard.NotNull(log);
        _why = Guard.NotNull(why);
    }

    /// <inheritdoc />
    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken)
    {
        Guard.NotNull(envelope);
        var recipients = envelope.Recipients.Select(r => r.Address).ToList();
        _log.Write(EventIds.NoValidPolicy, $"No valid policy ({_why}); outcome {_settings.OnNoValidPolicy} for a message to {recipients.Count} recipient(s).");
        return _settings.OnNoValidPolicy == FailureOutcome.Defer
            ? ProcessingPlan.DeferAll(recipients, _settings.RetryInterval, "No valid encryption policy is loaded")
            : ProcessingPlan.PassThrough(recipients, "no valid policy; PassThroughInsecure");
    }
}
