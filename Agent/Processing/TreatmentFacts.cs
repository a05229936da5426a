using System;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// What happened to a recipient's protection beyond the sign and encrypt plans and the route: the sender's own
/// protection kept, or a fallback taken. Real fields of the treatment, so two recipients differing only here never
/// share a copy; the outcome tokens (<see cref="OutcomeTokens"/>) are only how these are shown.
/// </summary>
[Flags]
internal enum TreatmentFacts
{
    None = 0,

    /// <summary>The sender encrypted the message; it was not encrypted (or signed) again.</summary>
    AlreadyEncrypted = 1,

    /// <summary>The sender signed the message; it was not signed again.</summary>
    AlreadySigned = 2,

    /// <summary>Protection was impossible; a fallback routed it over forced TLS.</summary>
    FallbackRouted = 4,

    /// <summary>No signing key; the fallback delivered it unsigned.</summary>
    DeliveredUnsigned = 8,

    /// <summary>No encryption certificate; the rule's insecure opt-in delivered it in plain text.</summary>
    InsecurePlainText = 16,
}
