using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RejectMessage: NDR the matched recipients.</summary>
public sealed class RejectMessageAction : PolicyAction
{
    /// <summary>5.7.1 or 5.7.900–5.7.999.</summary>
    public string EnhancedStatusCode { get; init; } = "5.7.1";

    /// <summary>ASCII reason shown in the NDR.</summary>
    public string Reason { get; init; } = "Delivery not authorized, message refused";
}
