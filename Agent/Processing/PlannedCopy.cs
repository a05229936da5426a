using System;
using System.Collections.Generic;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// One copy of the message for some of its recipients, as decided: who gets it, how it ends up protected, routed or
/// deferred. What the content becomes is the engine's business: a host asks <see cref="CopyBuilder"/> for it.
/// </summary>
public sealed class PlannedCopy
{
    internal PlannedCopy(
        IReadOnlyList<string> recipients,
        CopyInstructions instructions,
        CopyProtection protection,
        string? routingDomain = null,
        TimeSpan? deferFor = null,
        string? deferReason = null,
        IReadOnlyList<X509Certificate>? encryptedFor = null,
        IReadOnlyList<string>? rulesApplied = null,
        CopyTreatment? treatment = null)
    {
        Recipients = Guard.NotNull(recipients);
        Instructions = Guard.NotNull(instructions);
        Protection = protection;
        RoutingDomain = routingDomain;
        DeferFor = deferFor;
        DeferReason = deferReason;
        EncryptedFor = encryptedFor ?? Array.Empty<X509Certificate>();
        RulesApplied = rulesApplied ?? Array.Empty<string>();
        Treatment = treatment;
    }

    /// <summary>The recipients of this copy (envelope addresses).</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>The protection the copy ends up with.</summary>
    public CopyProtection Protection { get; }

    /// <summary>The forced-TLS routing domain (address space) for these recipients, or null.</summary>
    public string? RoutingDomain { get; }

    /// <summary>When set, the copy is deferred for this long instead of delivered.</summary>
    public TimeSpan? DeferFor { get; }

    /// <summary>Why it is deferred (ASCII).</summary>
    public string? DeferReason { get; }

    /// <summary>The certificates the copy is encrypted to (recipients and recovery), for plans and the demo manifest.</summary>
    public IReadOnlyList<X509Certificate> EncryptedFor { get; }

    /// <summary>Rules whose actions shaped this copy.</summary>
    public IReadOnlyList<string> RulesApplied { get; }

    /// <summary>True when the content of this copy differs from the message as it came.</summary>
    public bool ChangesContent => !Instructions.IsEmpty;

    /// <summary>True when nothing about the copy changes.</summary>
    public bool IsUnchanged => !ChangesContent && RoutingDomain is null && DeferFor is null;

    /// <summary>What <see cref="CopyBuilder"/> does to the content, in order; decided with the plan.</summary>
    internal CopyInstructions Instructions { get; }

    /// <summary>The treatment its recipients share (null for copies made without a policy decision).</summary>
    internal CopyTreatment? Treatment { get; }

    /// <summary>A copy delivered as it is.</summary>
    public static PlannedCopy Unchanged(IReadOnlyList<string> recipients)
        => new(recipients, CopyInstructions.None, CopyProtection.None);

    /// <summary>A deferred copy.</summary>
    public static PlannedCopy Deferred(IReadOnlyList<string> recipients, TimeSpan retryAfter, string reason)
        => new(recipients, CopyInstructions.None, CopyProtection.None, deferFor: retryAfter, deferReason: reason);
}
