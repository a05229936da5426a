using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>
/// Wraps the real engine: plans with it, then breaks what the fault asks for. Engine: planning throws. Time limit:
/// planning waits for the time limit's cancellation. Crypto (through the copy builder, <see cref="Decorate"/>): each
/// S/MIME transform of the real copy runs, but its output throws a CryptographicException once 64 bytes are out (a
/// half-written result in a spool file); with the failing Defer, each S/MIME transform first waits for the time limit.
/// </summary>
internal sealed class FaultingProcessor : IStagedMessageProcessor
{
    private readonly IStagedMessageProcessor _inner;
    private readonly FaultSeam _seam;

    public FaultingProcessor(IStagedMessageProcessor inner, FaultSeam seam)
    {
        _inner = inner;
        _seam = seam;
    }

    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken)
        => Plan(envelope, content, nowUtc, PlanningStage.Complete, cancellationToken);

    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, PlanningStage stage, CancellationToken cancellationToken)
    {
        switch (_seam)
        {
            case FaultSeam.EngineThrows or FaultSeam.DeferThrows:
                throw new InvalidOperationException("Injected fault: the engine failed.");
            case FaultSeam.TimeLimit:
                Stall(cancellationToken);
                break;
        }

        return _inner.Plan(envelope, content, nowUtc, stage, cancellationToken);
    }

    /// <summary>True when <paramref name="seam"/> breaks the S/MIME transforms the copy builder runs.</summary>
    public static bool BreaksCrypto(FaultSeam seam) => seam is FaultSeam.CryptoThrows or FaultSeam.TimeLimitThenDeferThrows;

    /// <summary>The copy builder's decoration: S/MIME transforms fail as <paramref name="seam"/> says; others run as they are.</summary>
    public static IMessageTransform Decorate(IMessageTransform transform, FaultSeam seam)
        => IsCrypto(transform) ? new FaultingTransform(transform, seam) : transform;

    /// <summary>Waits for the time limit's cancellation, as a hung operation would, then gives up as cooperative code does.</summary>
    private static void Stall(CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException("The time limit never came.");
    }

    private static bool IsCrypto(IMessageTransform transform)
        => transform.GetType().Namespace?.StartsWith("ExchangeEncryptionAgent.Smime", StringComparison.Ordinal) == true;

    private sealed class FaultingTransform : IMessageTransform
    {
        private readonly IMessageTransform _inner;
        private readonly FaultSeam _seam;

        public FaultingTransform(IMessageTransform inner, FaultSeam seam)
        {
            _inner = inner;
            _seam = seam;
        }

        public string Name => _inner.Name;

        public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        {
            if (_seam == FaultSeam.TimeLimitThenDeferThrows)
            {
                Stall(cancellationToken);
            }

            _inner.Apply(source, new FailingStream(destination, 64, () => new CryptographicException("Injected fault: the crypto provider failed.")), cancellationToken);
        }
    }
}
