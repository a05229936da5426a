using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Deliver unprotected, but only over the forced-TLS connector. Possible only when ForcedTls is configured.</summary>
public sealed class RouteRequireTlsFallback : FallbackStep
{
}
