using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Rule mode: Enforce acts; Audit only logs what would have happened.</summary>
public enum RuleMode
{
    /// <summary>Carry out the actions.</summary>
    Enforce,
    /// <summary>Log what would happen; change nothing.</summary>
    Audit,
}

/// <summary>What the evaluator decided for one message. Pure data; the processing pipeline carries it out.</summary>
public sealed class PolicyDecision
{
    /// <summary>One entry per envelope recipient, in envelope order.</summary>
    public IReadOnlyList<RecipientDecision> Recipients { get; init; } = Array.Empty<RecipientDecision>();

    /// <summary>Every rule that matched (Enforce and Audit), with why, for `eea test` and the audit log.</summary>
    public IReadOnlyList<RuleMatch> Matches { get; init; } = Array.Empty<RuleMatch>();

    /// <summary>Rule errors (regex timeout...) in evaluation order.</summary>
    public IReadOnlyList<RuleError> Errors { get; init; } = Array.Empty<RuleError>();

    /// <summary>True when a rule error with RuleErrorAction=Defer happened: the whole message is deferred.</summary>
    public bool DeferMessage { get; init; }
}

/// <summary>The Enforce-mode actions that apply to one recipient, in rule-priority order.</summary>
public sealed class RecipientDecision
{
    /// <summary>The envelope address.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>Inside the organisation (host category or policy domains).</summary>
    public bool IsInternal { get; init; }

    /// <summary>Actions of every Enforce rule that selected this recipient, highest priority first.</summary>
    public IReadOnlyList<PolicyAction> Actions { get; init; } = Array.Empty<PolicyAction>();
}

/// <summary>One rule that matched.</summary>
public sealed class RuleMatch
{
    /// <summary>Rule name.</summary>
    public string RuleName { get; init; } = string.Empty;

    /// <summary>Enforce or Audit.</summary>
    public RuleMode Mode { get; init; }

    /// <summary>The recipients the rule selected.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = Array.Empty<string>();

    /// <summary>For each condition: its name and the value that matched.</summary>
    public IReadOnlyList<ConditionMatch> Conditions { get; init; } = Array.Empty<ConditionMatch>();
}

/// <summary>A condition that held and the value that made it hold.</summary>
public sealed class ConditionMatch
{
    /// <summary>The condition element name (for example RecipientDomainIs).</summary>
    public string Condition { get; init; } = string.Empty;

    /// <summary>The value that matched (a word, a domain, a header value excerpt); never more than 200 characters.</summary>
    public string MatchedValue { get; init; } = string.Empty;
}

/// <summary>A rule that could not be evaluated.</summary>
public sealed class RuleError
{
    /// <summary>Rule name.</summary>
    public string RuleName { get; init; } = string.Empty;

    /// <summary>What went wrong (for example a regex timeout).</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>True when the rule's RuleErrorAction is Defer.</summary>
    public bool Defers { get; init; }

    /// <summary>True when RuleErrorAction=Protect let the protective rule act as if the failed condition held.</summary>
    public bool AppliedProtectively { get; init; }
}
