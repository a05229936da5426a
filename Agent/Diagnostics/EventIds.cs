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
