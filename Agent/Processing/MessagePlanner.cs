using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Evaluation;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Decides for one message with one policy: parse once, evaluate, resolve each recipient's treatment, group
/// recipients whose treatments are equal into copies, and say for each copy what is done to its content (inbound
/// S/MIME, header edits and the audit stamp, sign, encrypt, in that order). Builds nothing: <see cref="CopyBuilder"/>
/// does, when the host asks.
/// </summary>
internal sealed class MessagePlanner
{
    private readonly LoadedPolicy _policy;
    private readonly AgentSettings _settings;
    private readonly IAgentLog _log;
    private readonly DateTime _nowUtc;
    private readonly TemporaryFileFactory _temporaryFiles;

    public MessagePlanner(LoadedPolicy policy, AgentSettings settings, IAgentLog log, DateTime nowUtc, TemporaryFileFactory temporaryFiles)
    {
        _temporaryFiles = temporaryFiles;
        _policy = policy;
        _settings = settings;
        _log = log;
        _nowUtc = nowUtc;
    }

    public ProcessingPlan Plan(MessageEnvelope envelope, Stream content, PlanningStage stage = PlanningStage.Complete)
    {
        // Counted over the raw header block, streaming, before anything else reads it: no field index or count limit.
        var foreignFields = ForeignHeaderStripTransform.CountForeignFields(content);
        if (stage == PlanningStage.Inbound && foreignFields == 0 && !HasInboundActions(_policy.Policy))
        {
            // Nothing the inbound stage could do (no rule decrypts or verifies, no forged verdict to strip): plain
            // outbound mail skips the MIME parse and the evaluation here, which the deciding stage does anyway. On a
            // 100 MB message that parse was about a sixth of eea process's time.
            return ProcessingPlan.PassThrough(envelope.Recipients.Select(r => r.Address), "inbound stage: no rule decrypts or verifies");
        }

        using var message = MessageContext.Create(envelope, content, temporaryFiles: _temporaryFiles);
        var recipients = envelope.Recipients.Select(r => r.Address).ToList();
        var messageId = message.Message?.MessageId is { Length: > 0 } id ? "<" + id + ">" : "(no Message-ID)";

        // No content label (multipart/report, a report-type, an Auto-Submitted header) skips the policy: anyone can
        // write one. Only what the host itself marks as a system message is skipped, and the host adapter does that.

        var decision = PolicyEvaluator.Evaluate(_policy.Policy, message, new DateTimeOffset(_nowUtc, TimeSpan.Zero));
        if (stage == PlanningStage.Inbound)
        {
            // Rule errors, rejections, deferrals and audit entries belong to the deciding stage (OnResolvedMessage).
            return decision.DeferMessage
                ? ProcessingPlan.PassThrough(recipients, "inbound stage: the deciding stage defers")
                : PlanInbound(decision, message, messageId, foreignFields);
        }

        LogAuditMatches(decision, messageId);
        if (decision.DeferMessage)
        {
            PolicyDecisionLog.Write(_log, _policy.Policy.Settings, decision, messageId);
            _log.Write(EventIds.MessageDeferred, $"Message {messageId} deferred: a rule error asks for it (RuleErrorAction=Defer).");
            return ProcessingPlan.DeferAll(recipients, _settings.RetryInterval, "Encryption policy could not be evaluated");
        }

        if (message.UnreadableContent is { } unreadable)
        {
            _log.Write(EventIds.ContentUnreadable, $"Message {messageId}: {unreadable}; rules with content conditions get a rule error.");
        }

        var resolver = new TreatmentResolver(_policy, message, _log, _nowUtc, messageId);
        var treatments = decision.Recipients.Select(resolver.Resolve).ToList();
        EnsureNothingLeaks(treatments, message);

        // After the inbound stage (OnSubmittedMessage) the content is already decrypted and stripped: verdict headers
        // on it are our own.
        var inboundDone = stage == PlanningStage.Outbound;
        var stripForgedVerdicts = !inboundDone && foreignFields > 0 && !IsFromInside(message);
        if (stripForgedVerdicts)
        {
            _log.Write(EventIds.ForgedVerdictHeadersRemoved, $"Message {messageId}: removing {foreignFields} {AgentHeaders.Prefix}* header field(s) that came from outside.");
        }

        var copies = treatments.Where(t => t.Rejection is null)
            .GroupBy(t => t.Copy)
            .Select(g => DecideCopy(g.ToList(), decision, message, messageId, stripForgedVerdicts, inboundDone))
            .ToList();
        var rejections = treatments.Where(t => t.Rejection is not null).Select(t => t.Rejection!).ToList();
        var plan = new ProcessingPlan(copies, rejections, Summarise(copies, rejections));
        LogPlan(decision, plan, messageId);
        return plan;
    }

    private static bool HasInboundActions(PolicySet policy)
        => policy.Rules.Any(rule => rule.Actions.Any(action => action is DecryptSmimeAction or VerifySmimeAction));

    /// <summary>
    /// The inbound stage (Exchange: OnSubmittedMessage, before Transport Rules, DLP and journaling): only decryption,
    /// verification and the removal of forged verdict headers, grouped by what differs between recipients.
    /// </summary>
    private ProcessingPlan PlanInbound(PolicyDecision decision, MessageContext message, string messageId, long foreignFields)
    {
        var resolver = new TreatmentResolver(_policy, message, _log, _nowUtc, messageId);
        var treatments = decision.Recipients.Select(resolver.Resolve).ToList();
        var strip = foreignFields > 0 && !IsFromInside(message);
        if (strip)
        {
            _log.Write(EventIds.ForgedVerdictHeadersRemoved, $"Message {messageId}: removing {foreignFields} {AgentHeaders.Prefix}* header field(s) that came from outside.");
        }

        // Only the inbound step differs between these copies: recipients with equal steps (or none) share one.
        var copies = treatments
            .GroupBy(t => t.IsDelivered ? t.Copy.Inbound : null)
            .Select(g =>
            {
                var addresses = g.Select(t => t.Address).ToList();
                var inbound = g.Key is { } step ? Inbound(step, message, messageId) : null;
                var instructions = CopyInstructions.None with { StripForeignHeaders = strip, Inbound = inbound };
                return new PlannedCopy(addresses, instructions, inbound is null ? CopyProtection.None : CopyProtection.Decrypted);
            })
            .ToList();
        return new ProcessingPlan(copies, Array.Empty<PlannedRejection>(), "inbound: " + Summarise(copies, new List<PlannedRejection>()));
    }

    private PlannedCopy DecideCopy(List<RecipientTreatment> group, PolicyDecision decision, MessageContext message, string messageId, bool stripForgedVerdicts, bool inboundDone)
    {
        var treatment = group[0].Copy;
        var addresses = group.Select(t => t.Address).ToList();
        var rules = group.SelectMany(t => t.Decision.Actions).Select(a => a.RuleName).Distinct(StringComparer.Ordinal).ToList();
        if (treatment.DeferFor is TimeSpan wait)
        {
            return new PlannedCopy(addresses, CopyInstructions.None, CopyProtection.None, deferFor: wait, deferReason: treatment.DeferReason, rulesApplied: rules, treatment: treatment);
        }

        var edits = new List<HeaderEdit>(treatment.Edits);
        // Every copy an Enforce rule applied to carries the audit stamp, even when the outcome left the body alone
        // (already encrypted, unsigned fallback, insecure opt-in): that is exactly when an administrator asks why.
        // Rule names tell an outsider how their correspondence was classified, so copies with an outside recipient
        // carry it only when the policy opts in.
        var settings = _policy.Policy.Settings;
        var stampAllowed = settings.StampAuditHeaderOnOutsideCopies || group.All(t => t.IsInternal);
        if (group[0].Decision.Actions.Count > 0 && settings.StampAuditHeader && stampAllowed)
        {
            edits.Add(HeaderEdit.Set(AuditHeader.HeaderName, AuditHeader.Format(decision, addresses, _policy.Policy.Sha256, treatment.Outcome)));
        }

        // TreatmentResolver only lets readable TNEF get this far with TnefHandling ConvertToMime.
        var convertTnef = (treatment.Sign is not null || treatment.Encrypt is not null) && message.ContainsTnef;
        if (convertTnef)
        {
            _log.Write(EventIds.TnefConvertedToMime,
                $"Message {messageId}: Summary-TNEF converted to MIME for {string.Join(", ", addresses)} before it is {(treatment.Encrypt is null ? "signed" : "encrypted")}.");
        }

        EncryptInstruction? encrypt = null;
        if (treatment.Encrypt is { } settingsForCopy)
        {
            var smimeRecipients = group.Select(t => new SmimeRecipient(t.EncryptionCertificate!, settingsForCopy.KeyTransport))
                .Concat(_policy.Certificates.GetRecoveryCertificates(_nowUtc).Select(c => new SmimeRecipient(c, settingsForCopy.KeyTransport)))
                .GroupBy(r => CertificateNames.Thumbprint(r.Certificate), StringComparer.Ordinal)
                .Select(g => g.First())
                .ToList();
            // A Bcc recipient's treatment names them (CopyTreatment.BlindRecipient), so their copy is theirs alone.
            encrypt = new EncryptInstruction(smimeRecipients, settingsForCopy, treatment.BlindRecipient);
        }

        var instructions = new CopyInstructions(
            // First, on every copy and every path: nothing later may mistake a forged field for one of ours.
            stripForgedVerdicts,
            !inboundDone && treatment.Inbound is { } step ? Inbound(step, message, messageId) : null,
            edits,
            convertTnef,
            treatment.Sign,
            encrypt);
        IReadOnlyList<X509Certificate> encryptedFor = encrypt is null ? Array.Empty<X509Certificate>() : encrypt.Recipients.Select(r => r.Certificate).ToList();
        return new PlannedCopy(addresses, instructions, treatment.Protection, treatment.RoutingDomain, encryptedFor: encryptedFor, rulesApplied: rules, treatment: treatment);
    }

    private InboundInstruction Inbound(InboundStep step, MessageContext message, string messageId)
        => new(step, _policy, messageId, _nowUtc, SenderIsExternal: !IsFromInside(message));

    /// <summary>
    /// The invariant the whole product rests on: a recipient an Enforce rule wants encrypted ends up encrypted,
    /// already encrypted by the sender, over forced TLS, rejected, deferred, or in plain text only through the
    /// rule's explicit insecure opt-in. Anything else is a bug, and the host's internal-error outcome (defer) applies.
    /// </summary>
    private static void EnsureNothingLeaks(IEnumerable<RecipientTreatment> treatments, MessageContext message)
    {
        foreach (var treatment in treatments.Where(t => t.Decision.Actions.OfType<EncryptSmimeAction>().Any()))
        {
            var copy = treatment.Copy;
            var protectedEnough = !treatment.IsDelivered || copy.Encrypt is not null || copy.RoutingDomain is not null
                || copy.Facts.HasFlag(TreatmentFacts.InsecurePlainText) || (copy.Facts.HasFlag(TreatmentFacts.AlreadyEncrypted) && message.IsEncrypted);
            if (!protectedEnough)
            {
                throw new InvalidOperationException($"Plan for {treatment.Address} would deliver a must-encrypt message unprotected.");
            }
        }
    }

    /// <summary>FromScope's own answer, the host's word only (one rule for both).</summary>
    private bool IsFromInside(MessageContext message) => new EvaluationScope(_policy.Policy, message).SenderIsInternal;

    private void LogAuditMatches(PolicyDecision decision, string messageId)
    {
        foreach (var match in decision.Matches.Where(m => m.Mode == RuleMode.Audit))
        {
            var rule = _policy.Policy.Rules.FirstOrDefault(r => r.Name == match.RuleName);
            var actions = rule is null ? string.Empty : string.Join(", ", rule.Actions.Select(AuditHeader.ActionName));
            _log.Write(EventIds.AuditRuleMatched,
                $"Message {messageId}: Audit rule '{match.RuleName}' matched for {string.Join(", ", match.Recipients)}; it would have done: {actions}.");
        }
    }

    private void LogPlan(PolicyDecision decision, ProcessingPlan plan, string messageId)
    {
        foreach (var rejection in plan.Rejections)
        {
            _log.Write(EventIds.RecipientRejected,
                $"Message {messageId}: {rejection.Recipient} rejected with {rejection.EnhancedStatusCode} ({rejection.Reason})" + (rejection.RuleName is null ? "." : $" by rule '{rejection.RuleName}'."));
        }

        foreach (var copy in plan.Copies.Where(c => c.DeferFor is not null))
        {
            _log.Write(EventIds.MessageDeferred, $"Message {messageId}: copy for {string.Join(", ", copy.Recipients)} deferred for {copy.DeferFor}: {copy.DeferReason}");
        }

        var settings = _policy.Policy.Settings;
        var decisionEvent = PolicyDecisionLog.EventFor(settings.DecisionLogLevel);
        foreach (var error in decision.Errors)
        {
            _log.Write(PolicyDecisionLog.EventFor(error), $"Message {messageId}: rule '{error.RuleName}': {error.Message}");
        }

        if (_log.IsEnabled(decisionEvent.Level))
        {
            _log.Write(decisionEvent, PolicyDecisionLog.Describe(decision, messageId) + "; plan: " + plan.Summary);
        }
    }

    private static string Summarise(List<PlannedCopy> copies, List<PlannedRejection> rejections)
    {
        var parts = copies.Select(c =>
            $"{c.Recipients.Count} recipient(s) {(c.DeferFor is null ? CopyProtectionNames.Keyword(c.Protection) : "deferred")}"
            + (c.RoutingDomain is null ? string.Empty : " via forced TLS"))
            .ToList();
        if (rejections.Count > 0)
        {
            parts.Add($"{rejections.Count} rejected");
        }

        return string.Join("; ", parts);
    }
}
