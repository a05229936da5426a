using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The resolver's scratch pad for one recipient (and for each sign or encrypt action tried on its own): filled step by
/// step, then frozen into an immutable <see cref="RecipientTreatment"/>. Never leaves <see cref="TreatmentResolver"/>.
/// </summary>
internal sealed class TreatmentDraft
{
    public TreatmentDraft(RecipientDecision decision, bool isVisible)
    {
        Decision = decision;
        IsVisible = isVisible;
    }

    public RecipientDecision Decision { get; }

    public string Address => Decision.Address;

    /// <summary>In To or Cc. Anyone else (Bcc) never shares an encrypted copy, whose envelope would list their key.</summary>
    public bool IsVisible { get; }

    public PlannedRejection? Rejection { get; set; }

    public TimeSpan? DeferFor { get; set; }

    public string? DeferReason { get; set; }

    public string? RoutingDomain { get; set; }

    public List<HeaderEdit> Edits { get; } = new();

    public SignPlan? Sign { get; set; }

    public EncryptSettings? Encrypt { get; set; }

    public X509Certificate? EncryptionCertificate { get; set; }

    public InboundStep? Inbound { get; set; }

    public TreatmentFacts Facts { get; set; }

    public bool Has(TreatmentFacts fact) => (Facts & fact) != 0;

    public RecipientTreatment Freeze()
    {
        var copy = DeferFor is TimeSpan wait
            ? CopyTreatment.Deferred(wait, DeferReason)
            : new CopyTreatment(
                RoutingDomain,
                new ValueList<HeaderEdit>(Edits),
                Sign,
                Encrypt,
                Inbound,
                null,
                null,
                Facts,
                new ValueList<string>(Decision.Actions.Select(a => a.RuleName).Distinct(StringComparer.Ordinal)),
                Encrypt is not null && !IsVisible ? Address : null);
        return new RecipientTreatment(Address, Decision.IsInternal, Decision, Rejection, copy, Encrypt is null ? null : EncryptionCertificate);
    }
}
