using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ExchangeEncryptionAgent.Diagnostics;

/// <summary>
/// The one catalogue of event IDs. docs/event-ids.md documents each entry; a test fails when the two drift apart
/// or an ID repeats. Ranges: 1000 agent lifecycle and logging; 1100 policy loading; 1200 policy evaluation;
/// 2000 outbound S/MIME; 2100 certificates; 3000 inbound S/MIME; 4000 message processing and plans; 9000 internal errors.
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

    // 9000–9099: internal errors (caught at the Exchange boundary).

    /// <summary>An unexpected exception was caught at the Exchange boundary.</summary>
    public static readonly AgentEvent InternalError = new(9000, nameof(InternalError), AgentEventLevel.Error,
        "An unexpected error was caught before it reached Exchange; the message got the internal-error outcome (default: deferred).");

    /// <summary>Even the fail-closed outcome could not be applied.</summary>
    public static readonly AgentEvent FailSafeFailed = new(9001, nameof(FailSafeFailed), AgentEventLevel.Error,
        "The fail-closed outcome itself could not be applied; Exchange keeps the message in its queue.");

    private static readonly Lazy<IReadOnlyList<AgentEvent>> AllEvents = new(() =>
        typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(AgentEvent))
            .Select(f => (AgentEvent)f.GetValue(null)!)
            .OrderBy(e => e.Id)
            .ToList());

    /// <summary>Every catalogue entry, ordered by ID.</summary>
    public static IReadOnlyList<AgentEvent> All => AllEvents.Value;
}
