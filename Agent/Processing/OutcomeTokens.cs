namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The words of the <c>outcome=</c> part of X-EEA-Policy: what the pipeline actually did to a copy. Public surface
/// (docs/headers.md lists each; a test keeps the two in step). For display only: they are derived from the fields of
/// a copy's treatment (CopyTreatment.Outcome) and never decide which recipients share a copy.
/// </summary>
internal static class OutcomeTokens
{
    /// <summary>Encrypted with S/MIME.</summary>
    public const string Encrypted = "encrypted";

    /// <summary>Signed with S/MIME.</summary>
    public const string Signed = "signed";

    /// <summary>Routed over the forced-TLS send connector.</summary>
    public const string ForcedTls = "forced-tls";

    /// <summary>The sender had already encrypted the message; it was not encrypted again.</summary>
    public const string AlreadyEncrypted = "already-encrypted";

    /// <summary>The sender had already signed the message; it was not signed again.</summary>
    public const string AlreadySigned = "already-signed";

    /// <summary>Protection was impossible; the fallback routed it over forced TLS.</summary>
    public const string FallbackRouteRequireTls = "fallback-route-require-tls";

    /// <summary>No signing key; the fallback delivered it unsigned.</summary>
    public const string FallbackDeliverUnsigned = "fallback-deliver-unsigned";

    /// <summary>No encryption certificate; the rule's insecure opt-in delivered it in plain text.</summary>
    public const string InsecurePlainText = "insecure-plain-text";
}
