using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// What to do with one message: the copies to deliver (each to some recipients, maybe transformed, maybe routed
/// over forced TLS, maybe deferred) and the recipients to reject. Host-neutral and decided only: each copy's content
/// comes from <see cref="CopyBuilder"/>; the Exchange adapter applies the rest with Fork, the MIME write stream,
/// SetRoutingOverride, Recipients.Remove and Defer.
/// </summary>
public sealed class ProcessingPlan
{
    /// <summary>Creates a plan.</summary>
    public ProcessingPlan(IReadOnlyList<PlannedCopy> copies, IReadOnlyList<PlannedRejection> rejections, string summary)
    {
        Copies = Guard.NotNull(copies);
        Rejections = Guard.NotNull(rejections);
        Summary = Guard.NotNull(summary);
    }

    /// <summary>The copies, the first one being what the current message becomes.</summary>
    public IReadOnlyList<PlannedCopy> Copies { get; }

    /// <summary>Recipients to NDR.</summary>
    public IReadOnlyList<PlannedRejection> Rejections { get; }

    /// <summary>One line for logs (no secrets, no content).</summary>
    public string Summary { get; }

    /// <summary>True when the plan leaves the message exactly as it is for every recipient.</summary>
    public bool IsPassThrough => Rejections.Count == 0 && Copies.All(c => c.IsUnchanged);

    /// <summary>Every recipient unchanged.</summary>
    public static ProcessingPlan PassThrough(IEnumerable<string> recipients, string reason)
        => new(new[] { PlannedCopy.Unchanged(recipients.ToList()) }, Array.Empty<PlannedRejection>(), reason);

    /// <summary>The whole message deferred.</summary>
    public static ProcessingPlan DeferAll(IEnumerable<string> recipients, TimeSpan retryAfter, string reason)
        => new(new[] { PlannedCopy.Deferred(recipients.ToList(), retryAfter, reason) }, Array.Empty<PlannedRejection>(), "deferred: " + reason);
}
