using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>One cell of the fault matrix: a fault at a seam, a class of message, and what must come of it.</summary>
/// <param name="Seam">Where the fault is injected (<see cref="FaultInjector"/>).</param>
/// <param name="Class">The message sent (<see cref="Traffic"/>).</param>
/// <param name="Outcome">What the recipient the rule protects must get.</param>
/// <param name="Event">The documented event that must be logged (or, for a broken log target, attempted).</param>
internal sealed record FaultCell(FaultSeam Seam, MessageClass Class, FaultOutcome Outcome, AgentEvent Event);
