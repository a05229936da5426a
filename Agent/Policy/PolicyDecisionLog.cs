using System.Collections.Generic;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Writes the per-message decision event at the level the policy asks for (Settings/DecisionLogLevel), and one event
/// per rule error. Addresses, rule and action names only; never content.
/// </summary>
internal static class PolicyDecisionLog
{
    /// <summary>The longest decision message written; the event log truncates long entries anyway.</summary>
    public const int MaxMessageLength = 8000;

    /// <summary>The event for a rule error: deferred, applied protectively, or ignored as its RuleErrorAction says.</summary>
    public static AgentEvent EventFor(RuleError error)
        => Guard.NotNull(error).Defers ? EventIds.PolicyRuleErrorDeferred
            : error.AppliedProtectively ? EventIds.PolicyRuleErrorProtected
            : EventIds.PolicyRuleErrorIgnored;

    /// <summary>Writes the decision for <paramref name="messageId"/>.</summary>
    public static void Write(IAgentLog log, PolicySettings settings, PolicyDecision decision, string messageId)
    {
        Guard.NotNull(log);
        Guard.NotNull(settings);
        Guard.NotNull(decision);
        foreach (var error in decision.Errors)
        {
            log.Write(EventFor(error), $"Message {messageId}: rule '{error.RuleName}': {error.Message}");
        }

        var decisionEvent = EventFor(settings.DecisionLogLevel);
        if (log.IsEnabled(decisionEvent.Level))
        {
            log.Write(decisionEvent, Describe(decision, messageId));
        }
    }

    /// <summary>The decision event for a configured level (Error is not a decision level; it maps to Warning).</summary>
    public static AgentEvent EventFor(AgentEventLevel level) => level switch
    {
        AgentEventLevel.Debug => EventIds.PolicyDecisionDebug,
        AgentEventLevel.Information => EventIds.PolicyDecisionInformation,
        _ => EventIds.PolicyDecisionWarning,
    };

    /// <summary>One line per fact: the rules that matched, then each recipient's actions.</summary>
    public static string Describe(PolicyDecision decision, string messageId)
    {
        Guard.NotNull(decision);
        var builder = new StringBuilder();
        builder.Append("Message ").Append(messageId).Append(": ");
        builder.Append(decision.Matches.Count == 0
            ? "no rule matched"
            : "rules matched: " + string.Join(", ", decision.Matches.Select(m => $"'{m.RuleName}' ({m.Mode})")));
        if (decision.DeferMessage)
        {
            builder.Append("; deferred (rule error)");
        }

        foreach (var recipient in decision.Recipients)
        {
            builder.AppendLine();
            builder.Append("  ").Append(recipient.Address).Append(recipient.IsInternal ? " (internal): " : " (external): ");
            builder.Append(recipient.Actions.Count == 0 ? "no action" : string.Join(", ", Names(recipient.Actions)));
            if (builder.Length > MaxMessageLength)
            {
                builder.Length = MaxMessageLength;
                builder.Append(" ...");
                break;
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<string> Names(IReadOnlyList<PolicyAction> actions)
        => actions.Select(a => $"{AuditHeader.ActionName(a)} ({a.RuleName})");
}
