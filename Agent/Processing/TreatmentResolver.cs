using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Turns one recipient's Enforce actions into a treatment: finds certificates and keys (validated by the
/// directory), and when protection is impossible walks the rule's fallback chain. Never leaves a must-encrypt
/// recipient unprotected unless the rule explicitly opted in to plain text.
/// </summary>
internal sealed class TreatmentResolver
{
    private readonly LoadedPolicy _policy;
    private readonly MessageContext _message;
    private readonly IAgentLog _log;
    private readonly DateTime _nowUtc;
    private readonly string _messageId;

    public TreatmentResolver(LoadedPolicy policy, MessageContext message, IAgentLog log, DateTime nowUtc, string messageId)
    {
        _policy = policy;
        _message = message;
        _log = log;
        _nowUtc = nowUtc;
        _messageId = messageId;
    }

    private PolicySettings Settings => _policy.Policy.Settings;

    public RecipientTreatment Resolve(RecipientDecision decision)
    {
        var treatment = new TreatmentDraft(decision, _message.IsInToOrCc(decision.Address));
        var actions = decision.Actions;
        if (actions.OfType<RejectMessageAction>().FirstOrDefault() is { } reject)
        {
            treatment.Rejection = new PlannedRejection(decision.Address, reject.EnhancedStatusCode, reject.Reason, reject.RuleName);
            return treatment.Freeze();
        }

        foreach (var action in actions)
        {
            switch (action)
            {
                case SetHeaderAction set:
                    treatment.Edits.Add(HeaderEdit.Set(set.Name, set.Value));
                    break;
                case RemoveHeaderAction remove:
                    treatment.Edits.Add(HeaderEdit.Remove(remove.Name));
                    break;
                case PrependSubjectAction prepend:
                    treatment.Edits.Add(HeaderEdit.PrependSubject(prepend.Text));
                    break;
                case RouteRequireTlsAction:
                    RouteOverForcedTls(treatment);
                    break;
            }
        }

        // Inbound actions are for the organisation's own recipients only: never decrypt for someone outside.
        if (decision.IsInternal)
        {
            var decrypt = actions.OfType<DecryptSmimeAction>().FirstOrDefault();
            var verify = actions.OfType<VerifySmimeAction>().FirstOrDefault();
            treatment.Inbound = decrypt is null && verify is null ? null : new InboundStep(decrypt, verify);
        }

        // Every SignSmime and EncryptSmime of every rule that applied is resolved on its own (its certificate, its
        // fallback chain), then the strictest outcome wins: reject > defer > encrypt > forced TLS > sign > none. So an
        // earlier rule's plain-text opt-in can never cancel a later rule's forced TLS, reject or encryption; only
        // StopRuleProcessing (which keeps later rules' actions out of the decision) can.
        var trials = new List<Trial>();
        foreach (var sign in actions.OfType<SignSmimeAction>())
        {
            var trial = NewTrial(decision, treatment, isSign: true);
            ResolveSigning(trial.Treatment, sign);
            trials.Add(trial);
        }

        foreach (var encrypt in actions.OfType<EncryptSmimeAction>())
        {
            var trial = NewTrial(decision, treatment, isSign: false);
            ResolveEncryption(trial.Treatment, encrypt);
            trials.Add(trial);
        }

        Merge(treatment, trials);
        return treatment.Freeze();
    }

    private static Trial NewTrial(RecipientDecision decision, TreatmentDraft treatment, bool isSign)
        => new(new TreatmentDraft(decision, treatment.IsVisible), isSign);

    /// <summary>Adopts the strictest of the separately resolved sign and encrypt outcomes (see <see cref="TreatmentStrictness"/>).</summary>
    private void Merge(TreatmentDraft treatment, List<Trial> trials)
    {
        if (trials.Select(t => t.Treatment).FirstOrDefault(t => t.Rejection is not null) is { } rejected)
        {
            treatment.Rejection = rejected.Rejection;
            return;
        }

        if (trials.Select(t => t.Treatment).FirstOrDefault(t => t.DeferFor is not null) is { } deferred)
        {
            treatment.DeferFor = deferred.DeferFor;
            treatment.DeferReason = deferred.DeferReason;
            return;
        }

        var encrypted = trials.Where(t => !t.IsSign).Select(t => t.Treatment)
            .FirstOrDefault(t => t.Encrypt is not null || t.Has(TreatmentFacts.AlreadyEncrypted));
        if (encrypted is not null)
        {
            treatment.Encrypt = encrypted.Encrypt;
            treatment.EncryptionCertificate = encrypted.EncryptionCertificate;
            treatment.Facts |= encrypted.Facts;
        }

        foreach (var routed in trials.Select(t => t.Treatment).Where(t => t.RoutingDomain is not null))
        {
            treatment.RoutingDomain = routed.RoutingDomain;
            treatment.Facts |= routed.Facts;
        }

        var signed = trials.Where(t => t.IsSign).Select(t => t.Treatment)
            .FirstOrDefault(t => t.Sign is not null || t.Has(TreatmentFacts.AlreadySigned | TreatmentFacts.AlreadyEncrypted));
        if (signed is not null)
        {
            treatment.Sign = signed.Sign;
            treatment.Facts |= signed.Facts;
        }
        else if (trials.FirstOrDefault(t => t.IsSign) is { } unsigned)
        {
            // Its fallback's tokens (fallback-deliver-unsigned, or the forced-TLS ones already adopted above).
            treatment.Facts |= unsigned.Treatment.Facts;
        }

        var optIn = trials.Select(t => t.Treatment).FirstOrDefault(t => t.Has(TreatmentFacts.InsecurePlainText));
        if (optIn is not null && treatment.Encrypt is null && treatment.RoutingDomain is null && !treatment.Has(TreatmentFacts.AlreadyEncrypted))
        {
            treatment.Facts |= TreatmentFacts.InsecurePlainText;
            _log.Write(EventIds.InsecurePlainTextDelivery,
                $"Message {_messageId}: a rule could not encrypt for {treatment.Address}; delivered in PLAIN TEXT because the rule opts in with DeliverInPlainTextInsecure and no other rule asks for more.");
        }
    }

    private void ResolveSigning(TreatmentDraft treatment, SignSmimeAction sign)
    {
        if ((_message.Types & (MessageTypes.Signed | MessageTypes.Encrypted)) != 0)
        {
            // The sender's own signature (or encryption) stays as it is; a second signature around it adds nothing.
            treatment.Facts |= (_message.Types & MessageTypes.Signed) != 0 ? TreatmentFacts.AlreadySigned : TreatmentFacts.AlreadyEncrypted;
            return;
        }

        if (!CanProtectTnef(treatment, sign.RuleName, "sign"))
        {
            ApplyFallback(treatment, sign.Fallback, sign.RuleName, "sign", TnefReason);
            return;
        }

        var sender = _message.FromAddress ?? _message.Envelope.MailFrom;
        var signer = sign.Signer;
        if (signer != SignerKind.Organization && !SubmitterOwns(sender))
        {
            // A personal key speaks for a person: it signs only for the submitter the host authenticated, never for
            // whoever a From header names. Otherwise the organisation key (SenderOrOrganization) or the fallback.
            var submitter = _message.Envelope.AuthenticatedSubmitter;
            var reason = submitter is null
                ? $"the host cannot vouch for who submitted the message, so the personal key of {CertificateNames.ToAscii(sender)} is not used"
                : $"the authenticated submitter {CertificateNames.ToAscii(submitter)} does not own the personal key of {CertificateNames.ToAscii(sender)}";
            _log.Write(EventIds.PersonalKeyNotUsed, $"Message {_messageId}: rule '{sign.RuleName}': {reason}.");
            if (signer == SignerKind.Sender)
            {
                ApplyFallback(treatment, sign.Fallback, sign.RuleName, "sign", reason);
                return;
            }

            signer = SignerKind.Organization;
        }

        var lookup = _policy.Certificates.FindSigningKey(sender, signer, sign.OrganizationKey, _nowUtc);
        if (lookup.Key is { } key)
        {
            treatment.Sign = new SignPlan(key, sign.Format, sign.Digest, sign.Padding);
            return;
        }

        ApplyFallback(treatment, sign.Fallback, sign.RuleName, "sign", lookup.FailureReason ?? "no signing key");
    }

    /// <summary>True when the host's authenticated submitter is the address whose personal key would sign.</summary>
    private bool SubmitterOwns(string sender)
        => _message.Envelope.AuthenticatedSubmitter is { Length: > 0 } submitter
           && string.Equals(CertificateNames.NormalizeAddress(submitter), CertificateNames.NormalizeAddress(sender), StringComparison.OrdinalIgnoreCase);

    private void ResolveEncryption(TreatmentDraft treatment, EncryptSmimeAction encrypt)
    {
        if (_message.IsEncrypted && !encrypt.EvenIfAlreadyEncrypted)
        {
            // Encrypted by the sender, judged from the content (CMS enveloped/authEnveloped data, RFC 3156 PGP/MIME),
            // never from a label: protected end to end; wrapping again would only hurt.
            treatment.Facts |= TreatmentFacts.AlreadyEncrypted;
            return;
        }

        if (!CanProtectTnef(treatment, encrypt.RuleName, "encrypt"))
        {
            ApplyFallback(treatment, encrypt.Fallback, encrypt.RuleName, "encrypt", TnefReason);
            return;
        }

        var lookup = _policy.Certificates.FindEncryptionCertificate(treatment.Address, encrypt.Certificate, encrypt.MinimumTrust, _nowUtc);
        if (lookup.Certificate is { } certificate)
        {
            var partner = _policy.Certificates.GetPartnerSettings(CertificateNames.DomainOf(treatment.Address));
            treatment.EncryptionCertificate = certificate;
            treatment.Encrypt = new EncryptSettings(
                encrypt.ContentEncryption ?? partner.ContentEncryption,
                encrypt.KeyTransport ?? partner.KeyTransport,
                encrypt.HeaderProtection,
                encrypt.SubjectPlaceholder);
            return;
        }

        ApplyFallback(treatment, encrypt.Fallback, encrypt.RuleName, "encrypt", lookup.FailureReason ?? "no encryption certificate");
    }

    private string TnefReason => _message.UnreadableContent is { } unreadable
        ? "the content is Summary-TNEF that cannot be read: " + unreadable
        : "the content is Summary-TNEF (winmail.dat) and TnefHandling is Fallback";

    /// <summary>
    /// False when the content is Summary-TNEF that must not be protected as it is: TnefHandling says Fallback, or the
    /// TNEF cannot be read and so cannot be converted. A partner would otherwise decrypt a winmail.dat only Outlook reads.
    /// </summary>
    private bool CanProtectTnef(TreatmentDraft treatment, string ruleName, string what)
    {
        if (!_message.ContainsTnef || (Settings.TnefHandling == TnefHandling.ConvertToMime && _message.UnreadableContent is null))
        {
            return true;
        }

        _log.Write(EventIds.TnefProtectionFallback,
            $"Message {_messageId}: rule '{ruleName}' would {what} Summary-TNEF for {treatment.Address}; {TnefReason}, so its fallback chain decides.");
        return false;
    }

    /// <summary>The first step that can be carried out wins; if none can, the recipient is deferred (fail closed).</summary>
    private void ApplyFallback(TreatmentDraft treatment, FallbackChain chain, string ruleName, string what, string reason)
    {
        foreach (var step in chain.Steps)
        {
            switch (step)
            {
                case RouteRequireTlsFallback when Settings.ForcedTls is not null:
                    RouteOverForcedTls(treatment);
                    treatment.Facts |= TreatmentFacts.FallbackRouted;
                    LogFallback(treatment, ruleName, what, reason, "routed unprotected over the forced-TLS connector");
                    return;
                case RejectFallback rejectStep:
                    var text = rejectStep.Reason ?? $"Cannot {what} for {treatment.Address}: {reason}";
                    treatment.Rejection = new PlannedRejection(treatment.Address, rejectStep.EnhancedStatusCode, text, ruleName);
                    LogFallback(treatment, ruleName, what, reason, "rejected with " + rejectStep.EnhancedStatusCode);
                    return;
                case DeferFallback deferStep:
                    treatment.DeferFor = deferStep.RetryAfter;
                    treatment.DeferReason = AsciiText.Sanitize($"Cannot {what} for {treatment.Address} yet: {reason}");
                    LogFallback(treatment, ruleName, what, reason, "deferred for " + deferStep.RetryAfter);
                    return;
                case DeliverUnsignedFallback when what == "sign":
                    treatment.Facts |= TreatmentFacts.DeliveredUnsigned;
                    LogFallback(treatment, ruleName, what, reason, "delivered unsigned");
                    return;
                case DeliverInPlainTextInsecureFallback when what == "encrypt":
                    // Only an opt-in here: the merge decides whether it stands (no other rule asks for more).
                    treatment.Facts |= TreatmentFacts.InsecurePlainText;
                    LogFallback(treatment, ruleName, what, reason, "plain text allowed by DeliverInPlainTextInsecure");
                    return;
            }
        }

        treatment.DeferFor = TimeSpan.FromMinutes(10);
        treatment.DeferReason = AsciiText.Sanitize($"Cannot {what} for {treatment.Address}: {reason}");
        LogFallback(treatment, ruleName, what, reason, "deferred: no fallback step could be carried out");
    }

    private void RouteOverForcedTls(TreatmentDraft treatment)
    {
        // The loader refuses RouteRequireTls without <ForcedTls>; this guard keeps a hand-built policy honest.
        var forcedTls = Settings.ForcedTls ?? throw new InvalidOperationException("RouteRequireTls needs <Settings><ForcedTls AddressSpace=...>.");
        treatment.RoutingDomain = forcedTls.AddressSpace;
    }

    /// <summary>One sign or encrypt action resolved on its own, before the strictest outcome is chosen.</summary>
    private sealed record Trial(TreatmentDraft Treatment, bool IsSign);

    private void LogFallback(TreatmentDraft treatment, string ruleName, string what, string reason, string outcome)
        => _log.Write(EventIds.ProtectionFallback,
            $"Message {_messageId}: rule '{ruleName}' could not {what} for {treatment.Address} ({reason}); {outcome}.");
}
