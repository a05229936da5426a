using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

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
