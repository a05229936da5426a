using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>How one recipient's copy is signed.</summary>
internal sealed record SignPlan(PrivateKeyEntry Key, SignatureFormat Format, SignatureDigest Digest, SignaturePadding Padding)
{
    public string GroupKey => $"sign:{Key.Name}:{CertificateNames.Thumbprint(Key.Certificate)}:{Format}:{Digest}:{Padding}";
}

/// <summary>How one recipient's copy is encrypted (the certificate is the recipient's; the copy merges them).</summary>
internal sealed record EncryptPlan(
    X509Certificate Certificate, ContentEncryptionAlgorithm Algorithm, KeyTransportAlgorithm KeyTransport, bool HeaderProtection, string SubjectPlaceholder)
{
    public string GroupKey => $"encrypt:{Algorithm}:{KeyTransport}:{HeaderProtection}:{SubjectPlaceholder}";
}

/// <summary>
/// Everything decided for one recipient: rejected, deferred, or delivered with some header edits, maybe signed,
/// maybe encrypted, maybe decrypted/verified, maybe over forced TLS. Recipients whose treatments have the same
/// <see cref="GroupKey"/> share one copy.
/// </summary>
internal sealed class RecipientTreatment
{
    public RecipientTreatment(RecipientDecision decision, bool isVisible)
    {
        Address = decision.Address;
        IsInternal = decision.IsInternal;
        IsVisible = isVisible;
        Decision = decision;
    }

    public string Address { get; }

    public bool IsInternal { get; }

    /// <summary>In To or Cc. Anyone else (Bcc) never shares an encrypted copy, whose envelope would list their key.</summary>
    public bool IsVisible { get; }

    public RecipientDecision Decision { get; }

    public PlannedRejection? Rejection { get; set; }

    public TimeSpan? DeferFor { get; set; }

    public string? DeferReason { get; set; }

    public string? RoutingDomain { get; set; }

    public List<HeaderEdit> Edits { get; } = new();

    public SignPlan? Sign { get; set; }

    public EncryptPlan? Encrypt { get; set; }

    public DecryptSmimeAction? Decrypt { get; set; }

    public VerifySmimeAction? Verify { get; set; }

    /// <summary>Outcome tokens for the audit header and the decision log (docs/headers.md).</summary>
    public SortedSet<string> Outcome { get; } = new(StringComparer.Ordinal);

    /// <summary>True when a rule asked for encryption and the insecure plain-text opt-in was used instead.</summary>
    public bool InsecurePlainText { get; set; }

    public bool IsDelivered => Rejection is null && DeferFor is null;

    public CopyProtection Protection => (Sign, Encrypt, Decrypt ?? (object?)Verify) switch
    {
        (not null, not null, _) => CopyProtection.SignedAndEncrypted,
        (null, not null, _) => CopyProtection.Encrypted,
        (not null, null, _) => CopyProtection.Signed,
        (null, null, not null) => CopyProtection.Decrypted,
        _ => CopyProtection.None,
    };

    /// <summary>Identical keys mean an identical inbound step (decrypt, verify).</summary>
    public string InboundKey =>
        (Decrypt is null ? "nodecrypt" : $"decrypt:{Decrypt.RuleName}:{Decrypt.Deliver}:{Decrypt.OnFailure}") + "\n"
        + (Verify is null ? "noverify" : $"verify:{Verify.RuleName}:{Verify.ValidSubjectTag}:{Verify.InvalidSubjectTag}");

    /// <summary>Identical keys mean an identical copy (content, routing, deferral).</summary>
    public string GroupKey
    {
        get
        {
            if (DeferFor is TimeSpan wait)
            {
                return $"defer:{wait}:{DeferReason}";
            }

            var parts = new List<string>
            {
                "route:" + RoutingDomain,
                "edits:" + string.Join("|", Edits.Select(e => e.Key)),
                "outcome:" + string.Join(" ", Outcome),
                "rules:" + string.Join("|", Decision.Actions.Select(a => a.RuleName).Distinct(StringComparer.Ordinal)),
                Sign?.GroupKey ?? "nosign",
                Encrypt?.GroupKey ?? "noencrypt",
                Decrypt is null ? "nodecrypt" : $"decrypt:{Decrypt.RuleName}:{Decrypt.Deliver}:{Decrypt.OnFailure}",
                Verify is null ? "noverify" : $"verify:{Verify.RuleName}:{Verify.ValidSubjectTag}:{Verify.InvalidSubjectTag}",
            };
            if (Encrypt is not null && !IsVisible)
            {
                parts.Add("bcc:" + Address);
            }

            return string.Join("\n", parts);
        }
    }
}
