using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RouteRequireTls: deliver the matched recipients through the forced-TLS send connector.</summary>
public sealed class RouteRequireTlsAction : PolicyAction
{
}
