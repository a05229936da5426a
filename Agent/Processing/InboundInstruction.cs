using System;
using ExchangeEncryptionAgent.Activation;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The inbound S/MIME step as decided: which step, with the policy version that decided it (its keys, trust anchors and
/// harvesting settings), for which message, received when, from outside or not.
/// </summary>
internal sealed record InboundInstruction(InboundStep Step, LoadedPolicy Policy, string MessageId, DateTime ReceivedUtc, bool SenderIsExternal);
