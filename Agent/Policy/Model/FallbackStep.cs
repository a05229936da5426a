using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>One fallback step.</summary>
public abstract class FallbackStep
{
}
