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
