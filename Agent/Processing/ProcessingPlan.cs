using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// What to do with one message: the copies to deliver (each to some recipients, maybe transformed, maybe routed
/// over forced TLS, maybe deferred) and the recipients to reject. Host-neutral; the Exchange adapter applies it
/// with Fork, the MIME write stream, SetRoutingOverride, Recipients.Remove and Defer.
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

/// <summary>How a copy is protected, as plan.json and the demo manifest say it.</summary>
public enum CopyProtection
{
    /// <summary>Delivered as it came (maybe with header edits or over forced TLS).</summary>
    None,
    /// <summary>S/MIME enveloped (or authEnveloped) for its recipients.</summary>
    Encrypted,
    /// <summary>S/MIME signed.</summary>
    Signed,
    /// <summary>Signed, then encrypted.</summary>
    SignedAndEncrypted,
    /// <summary>Inbound: decrypted (and/or verified) for internal recipients.</summary>
    Decrypted,
}

/// <summary>The words plan.json, the demo manifest and the logs use for a <see cref="CopyProtection"/>.</summary>
public static class CopyProtectionNames
{
    /// <summary>"none", "encrypted", "signed", "signed+encrypted" or "decrypted".</summary>
    public static string Keyword(CopyProtection protection) => protection switch
    {
        CopyProtection.Encrypted => "encrypted",
        CopyProtection.Signed => "signed",
        CopyProtection.SignedAndEncrypted => "signed+encrypted",
        CopyProtection.Decrypted => "decrypted",
        _ => "none",
    };
}

/// <summary>One copy of the message for some of its recipients.</summary>
public sealed class PlannedCopy
{
    /// <summary>Creates a copy.</summary>
    public PlannedCopy(
        IReadOnlyList<string> recipients,
        IReadOnlyList<IMessageTransform> transforms,
        CopyProtection protection,
        string? routingDomain = null,
        TimeSpan? deferFor = null,
        string? deferReason = null,
        IReadOnlyList<X509Certificate>? encryptedFor = null,
        IReadOnlyList<string>? rulesApplied = null)
    {
        Recipients = Guard.NotNull(recipients);
        Transforms = Guard.NotNull(transforms);
        Protection = protection;
        RoutingDomain = routingDomain;
        DeferFor = deferFor;
        DeferReason = deferReason;
        EncryptedFor = encryptedFor ?? Array.Empty<X509Certificate>();
        RulesApplied = rulesApplied ?? Array.Empty<string>();
    }

    /// <summary>The recipients of this copy (envelope addresses).</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>Transforms to apply, in order; empty when the content stays as it is.</summary>
    public IReadOnlyList<IMessageTransform> Transforms { get; }

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

    /// <summary>True when nothing about the copy changes.</summary>
    public bool IsUnchanged => Transforms.Count == 0 && RoutingDomain is null && DeferFor is null;

    /// <summary>A copy delivered as it is.</summary>
    public static PlannedCopy Unchanged(IReadOnlyList<string> recipients)
        => new(recipients, Array.Empty<IMessageTransform>(), CopyProtection.None);

    /// <summary>A deferred copy.</summary>
    public static PlannedCopy Deferred(IReadOnlyList<string> recipients, TimeSpan retryAfter, string reason)
        => new(recipients, Array.Empty<IMessageTransform>(), CopyProtection.None, deferFor: retryAfter, deferReason: reason);
}

/// <summary>A recipient to NDR.</summary>
public sealed class PlannedRejection
{
    /// <summary>Creates a rejection; <paramref name="reason"/> must be ASCII (Exchange's SmtpResponse refuses anything else).</summary>
    public PlannedRejection(string recipient, string enhancedStatusCode, string reason, string? ruleName = null)
    {
        Recipient = Guard.NotNull(recipient);
        EnhancedStatusCode = Guard.NotNull(enhancedStatusCode);
        Reason = AsciiText.Sanitize(reason);
        RuleName = ruleName;
    }

    /// <summary>The envelope address.</summary>
    public string Recipient { get; }

    /// <summary>The SMTP status code: 550 for every 5.x.x enhanced code we use.</summary>
    public string StatusCode { get; } = "550";

    /// <summary>5.7.1 or 5.7.900–5.7.999.</summary>
    public string EnhancedStatusCode { get; }

    /// <summary>The NDR text (ASCII).</summary>
    public string Reason { get; }

    /// <summary>The rule that rejected, if a rule did.</summary>
    public string? RuleName { get; }
}

/// <summary>Keeps text safe for SMTP responses and NDRs: printable US-ASCII only.</summary>
public static class AsciiText
{
    /// <summary>Replaces anything outside 0x20–0x7E with '?' and bounds the length.</summary>
    public static string Sanitize(string text, int maxLength = 400)
    {
        Guard.NotNull(text);
        var chars = text.Select(c => c >= ' ' && c <= '~' ? c : '?').Take(maxLength).ToArray();
        return new string(chars);
    }
}
