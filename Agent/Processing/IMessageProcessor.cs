using System;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The host-neutral engine: reads one message and its envelope, returns the plan. Pure apart from reading the
/// content and logging; it never touches the host. Hosts: the Exchange agent, the simulator, `eea`.
/// </summary>
public interface IMessageProcessor
{
    /// <summary>
    /// Plans what happens to the message in <paramref name="content"/> (readable, seekable) sent with
    /// <paramref name="envelope"/>, at <paramref name="nowUtc"/>. Exceptions are internal errors: the host applies
    /// its OnInternalError outcome.
    /// </summary>
    ProcessingPlan Plan(MessageEnvelope envelope, Stream content, DateTime nowUtc, CancellationToken cancellationToken);
}
