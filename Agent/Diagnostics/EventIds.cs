using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// The one catalogue of event IDs. docs/event-ids.md documents each entry; a test fails when the two drift apart
/// or an ID repeats. Ranges: 1000 agent lifecycle and logging; 1100 policy loading; 1200 policy evaluation;
/// 2000 outbound S/MIME; 2100 certificates; 3000 inbound S/MIME; 4000 message processing and plans; 5000 the SMTP gateway; 9000 internal errors.
/// </summary>
public static class EventIds
{
    // 1000–1099: agent lifecycle and logging.

    /// <summary>The agent factory constructed.</summary>
    public static readonly AgentEvent AgentFactoryStarted = new(1000, nameof(AgentFactoryStarted), AgentEventLevel.Information,
        "The agent factory started inside the transport service.");

    /// <summary>The agent factory closed.</summary>
    public static readonly AgentEvent AgentFactoryStopped = new(1001, nameof(AgentFactoryStopped), AgentEventLevel.Information,
        "The agent factory closed (transport service shutting down).");

    /// <summary>NLog.config could not be read.</summary>
    public static readonly AgentEvent LoggingConfigurationInvalid = new(1002, nameof(LoggingConfigurationInvalid), AgentEventLevel.Warning,
        "NLog.config beside the agent is missing or invalid; the built-in logging configuration is used.");

    /// <summary>No valid policy: the agent applies its no-policy setting.</summary>
    public static readonly AgentEvent NoValidPolicy = new(1003, nameof(NoValidPolicy), AgentEventLevel.Error,
        "No valid policy is loaded; every message gets the no-policy outcome (default: deferred).");

    /// <summary>The factory hit an error while starting and runs without a policy.</summary>
    public static readonly AgentEvent AgentFactoryStartFailed = new(1004, nameof(AgentFactoryStartFailed), AgentEventLevel.Error,
        "The agent factory could not finish starting; it runs in its no-policy mode instead of stopping the transport service.");

    /// <summary>A dependency was loaded from the agent folder by the assembly resolver.</summary>
    public static readonly AgentEvent DependencyResolved = new(1005, nameof(DependencyResolved), AgentEventLevel.Debug,
        "A dependency was loaded from the agent folder rather than from another agent's copy.");

    /// <summary>AgentSettings.xml could not be read; the defaults are used.</summary>
    public static readonly AgentEvent AgentSettingsInvalid = new(1006, nameof(AgentSettingsInvalid), AgentEventLevel.Error,
        "AgentSettings.xml beside the agent is invalid; the fail-closed defaults are used until it is fixed and the service restarted.");

    /// <summary>One AgentSettings.xml value is unreadable or out of range; its default is used.</summary>
    public static readonly AgentEvent AgentSettingValueInvalid = new(1010, nameof(AgentSettingValueInvalid), AgentEventLevel.Warning,
        "A value in AgentSettings.xml is unreadable or out of range (RetryInterval outside 30 seconds to 12 hours, an unknown outcome, an unusable path); that setting's safe default is used, the others hold.");

    // 4000–4099: message processing and plans.

    /// <summary>A recipient was rejected (NDR) by a rule or a fallback.</summary>
    public static readonly AgentEvent RecipientRejected = new(4001, nameof(RecipientRejected), AgentEventLevel.Warning,
        "A recipient was rejected with an NDR by a RejectMessage rule or a protection fallback.");

    /// <summary>A copy (or the whole message) was deferred.</summary>
    public static readonly AgentEvent MessageDeferred = new(4002, nameof(MessageDeferred), AgentEventLevel.Warning,
        "A copy of a message was deferred; Exchange retries it after the retry interval.");

    /// <summary>Protection was impossible and a fallback step was taken.</summary>
    public static readonly AgentEvent ProtectionFallback = new(4003, nameof(ProtectionFallback), AgentEventLevel.Warning,
        "A rule asked for S/MIME protection that could not be applied; the rule's fallback chain decided the outcome.");

    /// <summary>The insecure plain-text opt-in delivered a must-protect message unprotected.</summary>
    public static readonly AgentEvent InsecurePlainTextDelivery = new(4004, nameof(InsecurePlainTextDelivery), AgentEventLevel.Warning,
        "A rule's DeliverInPlainTextInsecure fallback delivered a message that should have been encrypted in plain text.");

    /// <summary>A message was left alone (system message, no recipients).</summary>
    public static readonly AgentEvent MessageSkipped = new(4005, nameof(MessageSkipped), AgentEventLevel.Debug,
        "A message was left alone: a system message (NDR/DSN) or one without recipients.");

    /// <summary>An Audit-mode rule matched.</summary>
    public static readonly AgentEvent AuditRuleMatched = new(4006, nameof(AuditRuleMatched), AgentEventLevel.Information,
        "An Audit-mode rule matched; nothing was changed. The entry says what the rule would have done.");

    /// <summary>Processing took longer than AgentSettings ProcessingTimeLimit; the message was deferred.</summary>
    public static readonly AgentEvent ProcessingTimeLimitExceeded = new(4010, nameof(ProcessingTimeLimitExceeded), AgentEventLevel.Error,
        "Processing a message took longer than the ProcessingTimeLimit in AgentSettings.xml; the message was deferred (fail closed).");

    /// <summary>At OnCategorizedMessage the decision recorded at OnResolvedMessage was missing or unreadable.</summary>
    public static readonly AgentEvent RecordedDecisionMissing = new(4011, nameof(RecordedDecisionMissing), AgentEventLevel.Error,
        "The per-recipient decision recorded at OnResolvedMessage was missing or unreadable at OnCategorizedMessage; the message was deferred (fail closed) and is decided afresh when Exchange retries it.");

    /// <summary>The lab diagnostics switch: what Exchange told the agent at one event.</summary>
    public static readonly AgentEvent EventDiagnostics = new(4012, nameof(EventDiagnostics), AgentEventLevel.Information,
        "Diagnostics switch on: what Exchange reported at one event (content type, TnefPart, OriginalAuthenticator kind, InboundDeliveryMethod, RecipientCategory per recipient); never message content.");

    /// <summary>A copy's Summary-TNEF was converted to MIME before signing or encryption (TnefHandling ConvertToMime).</summary>
    public static readonly AgentEvent TnefConvertedToMime = new(4040, nameof(TnefConvertedToMime), AgentEventLevel.Information,
        "A copy to be signed or encrypted carried Outlook's Summary-TNEF (winmail.dat); it was converted to MIME first, so the recipient reads the body and attachments.");

    /// <summary>A copy's Summary-TNEF was not protected; the rule's fallback chain decided (TnefHandling Fallback, or unreadable TNEF).</summary>
    public static readonly AgentEvent TnefProtectionFallback = new(4041, nameof(TnefProtectionFallback), AgentEventLevel.Warning,
        "A copy to be signed or encrypted carried Summary-TNEF that is not converted (TnefHandling is Fallback, or the TNEF could not be read); the rule's fallback chain decided the outcome.");

    /// <summary>Part of the content (a TNEF part, or MIME nested beyond the limit) could not be read: rules needing it got a rule error.</summary>
    public static readonly AgentEvent ContentUnreadable = new(4042, nameof(ContentUnreadable), AgentEventLevel.Warning,
        "Part of the content could not be read (a TNEF part that is malformed, too large or nested too deep, or MIME nested deeper than the limit); rules with structure or content conditions could not be evaluated and their RuleErrorAction applies.");

    // 2000–2099: outbound S/MIME (encrypt, sign).

    /// <summary>A copy was encrypted.</summary>
    public static readonly AgentEvent MessageEncrypted = new(2000, nameof(MessageEncrypted), AgentEventLevel.Debug,
        "A message copy was encrypted (S/MIME enveloped-data) for the listed number of recipient certificates.");

    /// <summary>Encryption of a copy failed.</summary>
    public static readonly AgentEvent MessageEncryptFailed = new(2001, nameof(MessageEncryptFailed), AgentEventLevel.Error,
        "A message copy could not be encrypted (malformed message or a cryptographic failure); the copy gets the rule's fail-closed outcome.");

    /// <summary>A copy was signed.</summary>
    public static readonly AgentEvent MessageSigned = new(2002, nameof(MessageSigned), AgentEventLevel.Debug,
        "A message copy was signed (S/MIME clear or opaque signature) with the named certificate.");

    /// <summary>Signing of a copy failed.</summary>
    public static readonly AgentEvent MessageSignFailed = new(2003, nameof(MessageSignFailed), AgentEventLevel.Error,
        "A message copy could not be signed (malformed message or a cryptographic failure); the copy gets the rule's fail-closed outcome.");

    /// <summary>A personal signing key was not used: the authenticated submitter does not own it.</summary>
    public static readonly AgentEvent PersonalKeyNotUsed = new(2004, nameof(PersonalKeyNotUsed), AgentEventLevel.Warning,
        "A rule asked for the sender's personal signing key, but the host did not authenticate the submitter as the owner of that key (a From header proves nothing); the organisation key or the rule's fallback was used instead.");

    // 2100–2199: certificates (sources, validation).

    /// <summary>The certificate directory loaded.</summary>
    public static readonly AgentEvent CertificatesLoaded = new(2100, nameof(CertificatesLoaded), AgentEventLevel.Information,
        "The configured certificates, keys and CRLs were loaded and indexed.");

    /// <summary>A required certificate source could not be read.</summary>
    public static readonly AgentEvent CertificateSourceFailed = new(2101, nameof(CertificateSourceFailed), AgentEventLevel.Error,
        "A trust anchor, intermediate, CRL or organisation/sender key source could not be read; the new policy is not used.");

    /// <summary>A partner certificate file could not be read and was skipped.</summary>
    public static readonly AgentEvent CertificateSourceSkipped = new(2102, nameof(CertificateSourceSkipped), AgentEventLevel.Warning,
        "A partner certificate file (or one file of a folder) could not be read and was skipped; the rest of the policy is used.");

    /// <summary>A configured certificate was found unusable when it was about to be used.</summary>
    public static readonly AgentEvent CertificateUnusable = new(2103, nameof(CertificateUnusable), AgentEventLevel.Warning,
        "A configured certificate is not usable (expired, not yet valid, untrusted, wrong key usage, revoked, revocation unknown); another certificate or the rule's fallback is used.");

    /// <summary>A recovery certificate is unusable: copies are encrypted without key escrow.</summary>
    public static readonly AgentEvent RecoveryCertificateUnusable = new(2104, nameof(RecoveryCertificateUnusable), AgentEventLevel.Error,
        "A recovery (key escrow) certificate is not usable, so encrypted copies do not include it until it is replaced.");

    /// <summary>Online CRL fetching was requested but is not supported.</summary>
    public static readonly AgentEvent OnlineCrlFetchNotSupported = new(2105, nameof(OnlineCrlFetchNotSupported), AgentEventLevel.Warning,
        "Revocation OnlineFetch is enabled but not supported; only the configured CRL files are used.");

    /// <summary>A configured CRL cannot be used.</summary>
    public static readonly AgentEvent CrlUnusable = new(2106, nameof(CrlUnusable), AgentEventLevel.Warning,
        "A configured CRL is out of date or no configured CA issued it; certificates it should cover have unknown revocation status.");

    // 3000–3099: inbound S/MIME (decrypt, verify, harvest).

    /// <summary>An S/MIME layer was decrypted with a configured key.</summary>
    public static readonly AgentEvent SmimeDecrypted = new(3000, nameof(SmimeDecrypted), AgentEventLevel.Information,
        "An inbound S/MIME layer was decrypted with a configured organisation or escrowed key.");

    /// <summary>No configured key is among the message's recipients.</summary>
    public static readonly AgentEvent SmimeNotForUs = new(3001, nameof(SmimeNotForUs), AgentEventLevel.Information,
        "An inbound encrypted message names no configured decryption key; it passed unchanged (X-EEA-Decryption: not-for-us).");

    /// <summary>Decryption failed (one uniform text for every cause).</summary>
    public static readonly AgentEvent SmimeDecryptionFailed = new(3002, nameof(SmimeDecryptionFailed), AgentEventLevel.Warning,
        "An inbound S/MIME message addressed to a configured key could not be decrypted; it passed unchanged or was deferred, as the rule's OnFailure says.");

    /// <summary>Troubleshooting detail of a decryption failure; Debug only, never in headers.</summary>
    public static readonly AgentEvent SmimeDecryptionFailureDetail = new(3003, nameof(SmimeDecryptionFailureDetail), AgentEventLevel.Debug,
        "The internal cause of a decryption failure (exception type), for troubleshooting at Debug level only.");

    /// <summary>More nested S/MIME layers than the policy allows.</summary>
    public static readonly AgentEvent SmimeNestingTooDeep = new(3004, nameof(SmimeNestingTooDeep), AgentEventLevel.Warning,
        "An inbound message has more nested S/MIME layers than MaxNestingDepth; it was not processed.");

    /// <summary>An S/MIME entity the agent does not process (compressed-data, certs-only, unknown smime-type).</summary>
    public static readonly AgentEvent SmimeLayerNotProcessed = new(3005, nameof(SmimeLayerNotProcessed), AgentEventLevel.Information,
        "An inbound S/MIME entity of a kind the agent does not process (compressed-data, certs-only, unknown smime-type) passed unchanged.");

    /// <summary>A decryptable message was delivered as ciphertext (Deliver=Ciphertext).</summary>
    public static readonly AgentEvent SmimeKeptCiphertext = new(3006, nameof(SmimeKeptCiphertext), AgentEventLevel.Information,
        "An inbound encrypted message was checked to be decryptable and delivered as ciphertext, as the rule says.");

    /// <summary>Incoming X-EEA-* headers were removed.</summary>
    public static readonly AgentEvent ForgedVerdictHeadersRemoved = new(3007, nameof(ForgedVerdictHeadersRemoved), AgentEventLevel.Warning,
        "An inbound message carried X-EEA-* headers from outside; they were removed before the agent stamped its own.");

    /// <summary>Decrypted CBC content without a valid inner signature was attached or kept as ciphertext (EFAIL).</summary>
    public static readonly AgentEvent SmimeUnsignedCbcContent = new(3008, nameof(SmimeUnsignedCbcContent), AgentEventLevel.Warning,
        "An inbound message was encrypted without integrity protection (AES-CBC, 3DES) and no valid signature inside the encryption covers it; its decrypted content was delivered as an attachment, or the ciphertext was kept, as the rule's UnsignedCbcContent says.");

    /// <summary>The From of a decrypted embedded message was not shown.</summary>
    public static readonly AgentEvent SmimeInnerFromNotShown = new(3009, nameof(SmimeInnerFromNotShown), AgentEventLevel.Warning,
        "The From of a decrypted embedded message (header protection) names someone else than the outer From and no valid signature inside the encryption binds it; the outer From was kept.");

    /// <summary>A signature verified as valid.</summary>
    public static readonly AgentEvent SignatureValid = new(3010, nameof(SignatureValid), AgentEventLevel.Information,
        "An inbound S/MIME signature is valid (RFC 8550 checks passed, chain to a configured anchor at the time of receipt).");

    /// <summary>A signature is invalid.</summary>
    public static readonly AgentEvent SignatureInvalid = new(3011, nameof(SignatureInvalid), AgentEventLevel.Warning,
        "An inbound S/MIME signature is invalid (tampered content, wrong key usage, address mismatch, expired signer...).");

    /// <summary>A signature is cryptographically sound but not trusted.</summary>
    public static readonly AgentEvent SignatureUntrusted = new(3012, nameof(SignatureUntrusted), AgentEventLevel.Warning,
        "An inbound S/MIME signature is sound but its signer does not chain to a configured trust anchor.");

    /// <summary>A signer certificate was harvested.</summary>
    public static readonly AgentEvent CertificateHarvested = new(3020, nameof(CertificateHarvested), AgentEventLevel.Information,
        "The certificate of a valid external signer was stored in the harvesting folder as a harvested partner certificate.");

    /// <summary>A signer certificate was not harvested (already known).</summary>
    public static readonly AgentEvent CertificateHarvestSkipped = new(3021, nameof(CertificateHarvestSkipped), AgentEventLevel.Debug,
        "A valid external signer's certificate was not harvested because it is already configured or already harvested.");

    /// <summary>A signer certificate could not be written.</summary>
    public static readonly AgentEvent CertificateHarvestFailed = new(3022, nameof(CertificateHarvestFailed), AgentEventLevel.Warning,
        "A valid external signer's certificate could not be written to the harvesting folder.");

    // 1100–1199: policy loading and hot reload.

    /// <summary>A policy file loaded and is now in force.</summary>
    public static readonly AgentEvent PolicyLoaded = new(1100, nameof(PolicyLoaded), AgentEventLevel.Information,
        "A policy file was loaded and validated and is now in force (the message gives the rule count and the file's SHA-256).");

    /// <summary>A policy file is invalid or unreadable; the previous policy stays in force.</summary>
    public static readonly AgentEvent PolicyLoadFailed = new(1101, nameof(PolicyLoadFailed), AgentEventLevel.Error,
        "A policy file is invalid or could not be read; every error is listed as file:line:col, and the previous policy (if any) stays in force.");

    /// <summary>A rule uses the insecure plain-text fallback.</summary>
    public static readonly AgentEvent PolicyInsecureFallbackConfigured = new(1102, nameof(PolicyInsecureFallbackConfigured), AgentEventLevel.Warning,
        "A rule's EncryptSmime fallback includes DeliverInPlainTextInsecure: mail that cannot be encrypted is delivered unencrypted.");

    /// <summary>A policy loaded with a warning.</summary>
    public static readonly AgentEvent PolicyLoadWarning = new(1103, nameof(PolicyLoadWarning), AgentEventLevel.Warning,
        "A policy loaded, but something in it deserves attention (an unreachable fallback step, a DecryptSmime rule without decryption keys).");

    /// <summary>The policy file was busy; the reload is retried.</summary>
    public static readonly AgentEvent PolicyFileBusy = new(1104, nameof(PolicyFileBusy), AgentEventLevel.Warning,
        "The policy file could not be read (usually an editor still saving it); the reload is retried with back-off.");

    /// <summary>The policy watcher hit an unexpected problem.</summary>
    public static readonly AgentEvent PolicyWatcherFailed = new(1105, nameof(PolicyWatcherFailed), AgentEventLevel.Error,
        "The policy file watcher hit an unexpected error (or lost change notifications); the current policy stays in force and the watcher keeps running.");

    // 1200–1299: policy evaluation.

    /// <summary>Per-message decision, when Settings/DecisionLogLevel is Debug.</summary>
    public static readonly AgentEvent PolicyDecisionDebug = new(1200, nameof(PolicyDecisionDebug), AgentEventLevel.Debug,
        "The policy decision for one message (rules matched, actions per recipient), logged at Debug as Settings/DecisionLogLevel says.");

    /// <summary>Per-message decision, when Settings/DecisionLogLevel is Information.</summary>
    public static readonly AgentEvent PolicyDecisionInformation = new(1201, nameof(PolicyDecisionInformation), AgentEventLevel.Information,
        "The policy decision for one message (rules matched, actions per recipient), logged at Information as Settings/DecisionLogLevel says.");

    /// <summary>Per-message decision, when Settings/DecisionLogLevel is Warning.</summary>
    public static readonly AgentEvent PolicyDecisionWarning = new(1202, nameof(PolicyDecisionWarning), AgentEventLevel.Warning,
        "The policy decision for one message (rules matched, actions per recipient), logged at Warning as Settings/DecisionLogLevel says.");

    /// <summary>A rule could not be evaluated and RuleErrorAction=Ignore skipped it.</summary>
    public static readonly AgentEvent PolicyRuleErrorIgnored = new(1203, nameof(PolicyRuleErrorIgnored), AgentEventLevel.Warning,
        "A rule could not be evaluated (for example a regular expression timed out); its RuleErrorAction is Ignore, so it was treated as not matching.");

    /// <summary>A rule could not be evaluated and RuleErrorAction=Defer deferred the message.</summary>
    public static readonly AgentEvent PolicyRuleErrorDeferred = new(1204, nameof(PolicyRuleErrorDeferred), AgentEventLevel.Error,
        "A rule could not be evaluated (for example a regular expression timed out); its RuleErrorAction is Defer, so the message was deferred for a retry.");

    /// <summary>A rule could not be evaluated and RuleErrorAction=Protect applied the protective rule.</summary>
    public static readonly AgentEvent PolicyRuleErrorProtected = new(1205, nameof(PolicyRuleErrorProtected), AgentEventLevel.Warning,
        "A protective rule could not be evaluated (a regular expression timed out, the evaluation budget was spent, or the body is larger than the engine reads); its RuleErrorAction is Protect, so it was applied as if it matched.");

    // 5000–5099: the SMTP gateway (`eea gateway`, the Postfix content filter).

    /// <summary>GatewayStarted.</summary>
    public static readonly AgentEvent GatewayStarted = new(5000, nameof(GatewayStarted), AgentEventLevel.Information,
        "eea gateway is listening; the entry lists its listeners (with the origin each stands for) and re-injection services.");

    /// <summary>GatewayStopped.</summary>
    public static readonly AgentEvent GatewayStopped = new(5001, nameof(GatewayStopped), AgentEventLevel.Information,
        "eea gateway stopped (SIGTERM or Ctrl+C); sessions in progress were cut and Postfix retries them.");

    /// <summary>GatewayMessageRelayed.</summary>
    public static readonly AgentEvent GatewayMessageRelayed = new(5002, nameof(GatewayMessageRelayed), AgentEventLevel.Information,
        "A message from Postfix was processed and every copy (and DSN) it became was accepted by Postfix's re-injection service; the gateway answered 250.");

    /// <summary>GatewayMessageDeferred.</summary>
    public static readonly AgentEvent GatewayMessageDeferred = new(5003, nameof(GatewayMessageDeferred), AgentEventLevel.Warning,
        "The plan deferred (part of) a message; the gateway answered 451 for the whole message and Postfix retries it.");

    /// <summary>GatewayReinjectionFailed.</summary>
    public static readonly AgentEvent GatewayReinjectionFailed = new(5004, nameof(GatewayReinjectionFailed), AgentEventLevel.Error,
        "A copy could not be built or Postfix's re-injection service refused it; the gateway answered 451 for the whole message, so nothing is lost (a copy already accepted may be delivered twice on retry).");

    /// <summary>GatewayDeliveryStatusSent.</summary>
    public static readonly AgentEvent GatewayDeliveryStatusSent = new(5005, nameof(GatewayDeliveryStatusSent), AgentEventLevel.Warning,
        "The policy rejected some recipients; a DSN (RFC 3464) for them was sent to the envelope sender, and the other recipients were delivered. None for the null reverse path.");

    /// <summary>GatewayForcedTlsUnavailable.</summary>
    public static readonly AgentEvent GatewayForcedTlsUnavailable = new(5006, nameof(GatewayForcedTlsUnavailable), AgentEventLevel.Error,
        "The policy requires forced TLS for some recipients but the gateway has no --reinject-tls service; it answered 451 (it never sends such a copy without TLS).");

    /// <summary>GatewayInternalError.</summary>
    public static readonly AgentEvent GatewayInternalError = new(5007, nameof(GatewayInternalError), AgentEventLevel.Error,
        "The gateway failed unexpectedly on a message; it answered 451 and Postfix keeps the message and retries.");

    /// <summary>GatewaySessionFaulted.</summary>
    public static readonly AgentEvent GatewaySessionFaulted = new(5008, nameof(GatewaySessionFaulted), AgentEventLevel.Warning,
        "An SMTP session between Postfix and the gateway failed (connection lost, protocol error); nothing was acknowledged, so Postfix retries.");

    /// <summary>GatewaySessionDropped.</summary>
    public static readonly AgentEvent GatewaySessionDropped = new(5009, nameof(GatewaySessionDropped), AgentEventLevel.Warning,
        "An SMTP session ended during DATA, before the message's final dot (the client disconnected or Postfix stopped); nothing was spooled, relayed or acknowledged, so the sender keeps the message and retries.");

    /// <summary>GatewayAddressRefused.</summary>
    public static readonly AgentEvent GatewayAddressRefused = new(5010, nameof(GatewayAddressRefused), AgentEventLevel.Warning,
        "The gateway refused a MAIL FROM or RCPT TO address it could not re-inject (not an RFC 5321 mailbox its SMTP client can send to); the client got a 5xx for that address only.");

    // 9000–9099: internal errors (caught at the Exchange boundary).

    /// <summary>An unexpected exception was caught at the Exchange boundary.</summary>
    public static readonly AgentEvent InternalError = new(9000, nameof(InternalError), AgentEventLevel.Error,
        "An unexpected error was caught before it reached Exchange; the message got the internal-error outcome (default: deferred).");

    /// <summary>Even the fail-closed outcome could not be applied.</summary>
    public static readonly AgentEvent FailSafeFailed = new(9001, nameof(FailSafeFailed), AgentEventLevel.Error,
        "The fail-closed outcome could not be applied at all: neither Defer nor the NDR fallback worked (or the message was already deferred and cannot be read).");

    /// <summary>Defer failed; the recipients were removed with an NDR instead.</summary>
    public static readonly AgentEvent FailSafeRecipientsRejected = new(9010, nameof(FailSafeRecipientsRejected), AgentEventLevel.Error,
        "Deferring a message after an internal error failed; every remaining recipient was removed with an NDR (550 5.7.0) so nothing left unprotected (recipients that could not be removed that way were dropped).");

    private static readonly Lazy<IReadOnlyList<AgentEvent>> AllEvents = new(() =>
        typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(AgentEvent))
            .Select(f => (AgentEvent)f.GetValue(null)!)
            .OrderBy(e => e.Id)
            .ToList());

    /// <summary>Every catalogue entry, ordered by ID.</summary>
    public static IReadOnlyList<AgentEvent> All => AllEvents.Value;
}
