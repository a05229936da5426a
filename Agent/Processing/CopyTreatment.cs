using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Everything that makes two recipients' copies identical: recipients whose treatments are equal (structurally:
/// lists by content, keys by thumbprint) share one copy. Immutable; built by <see cref="TreatmentResolver"/>.
/// </summary>
/// <param name="RoutingDomain">The forced-TLS address space, or null.</param>
/// <param name="Edits">Header edits of the rules, in rule order (the audit stamp is added per copy).</param>
/// <param name="Sign">The signature, or null.</param>
/// <param name="Encrypt">The encryption settings, or null.</param>
/// <param name="Inbound">Decrypt and/or verify (internal recipients only), or null.</param>
/// <param name="DeferFor">Set when the recipient's copy is deferred instead of delivered.</param>
/// <param name="DeferReason">Why (ASCII).</param>
/// <param name="Facts">Sender protection kept and fallbacks taken.</param>
/// <param name="Rules">The rules whose actions apply, in order: the audit stamp names them.</param>
/// <param name="BlindRecipient">
/// A Bcc recipient's address when the copy is encrypted: its envelope would list their key to everyone else, so they
/// get a copy of their own, the only one that may say Bcc.
/// </param>
internal sealed record CopyTreatment(
    string? RoutingDomain,
    ValueList<HeaderEdit> Edits,
    SignPlan? Sign,
    EncryptSettings? Encrypt,
    InboundStep? Inbound,
    TimeSpan? DeferFor,
    string? DeferReason,
    TreatmentFacts Facts,
    ValueList<string> Rules,
    string? BlindRecipient)
{
    /// <summary>A deferred copy: nothing else about it matters, so recipients deferred alike share it.</summary>
    public static CopyTreatment Deferred(TimeSpan wait, string? reason)
        => new(null, ValueList<HeaderEdit>.Empty, null, null, null, wait, reason, TreatmentFacts.None, ValueList<string>.Empty, null);

    public CopyProtection Protection => (Sign, Encrypt, Inbound) switch
    {
        (not null, not null, _) => CopyProtection.SignedAndEncrypted,
        (null, not null, _) => CopyProtection.Encrypted,
        (not null, null, _) => CopyProtection.Signed,
        (null, null, not null) => CopyProtection.Decrypted,
        _ => CopyProtection.None,
    };

    /// <summary>
    /// The outcome tokens for the audit header and the decision log (docs/headers.md): derived from the fields, for
    /// display only.
    /// </summary>
    public IReadOnlyCollection<string> Outcome
    {
        get
        {
            var tokens = new SortedSet<string>(StringComparer.Ordinal);
            Add(tokens, Encrypt is not null, OutcomeTokens.Encrypted);
            Add(tokens, Sign is not null, OutcomeTokens.Signed);
            Add(tokens, RoutingDomain is not null, OutcomeTokens.ForcedTls);
            Add(tokens, Facts.HasFlag(TreatmentFacts.AlreadyEncrypted), OutcomeTokens.AlreadyEncrypted);
            Add(tokens, Facts.HasFlag(TreatmentFacts.AlreadySigned), OutcomeTokens.AlreadySigned);
            Add(tokens, Facts.HasFlag(TreatmentFacts.FallbackRouted), OutcomeTokens.FallbackRouteRequireTls);
            Add(tokens, Facts.HasFlag(TreatmentFacts.DeliveredUnsigned), OutcomeTokens.FallbackDeliverUnsigned);
            Add(tokens, Facts.HasFlag(TreatmentFacts.InsecurePlainText), OutcomeTokens.InsecurePlainText);
            return tokens;
        }
    }

    private static void Add(SortedSet<string> tokens, bool condition, string token)
    {
        if (condition)
        {
            tokens.Add(token);
        }
    }
}
