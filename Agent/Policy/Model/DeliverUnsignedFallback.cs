using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>For SignSmime only: deliver without a signature (not a leak: the content was never to be hidden).</summary>
public sealed class DeliverUnsignedFallback : FallbackStep
{
}
