using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>An engine that can plan one stage at a time (the Exchange host uses it; one-shot hosts need not).</summary>
public interface IStagedMessageProcessor : IMessageProcessor
{
    /// <summary>Like <see cref="IMessageProcessor.Plan"/>, for one <paramref name="stage"/>.</summary>
    ProcessingPlan Plan(MessageEnvelope envelope, System.IO.Stream content, System.DateTime nowUtc, PlanningStage stage, System.Threading.CancellationToken cancellationToken);
}
