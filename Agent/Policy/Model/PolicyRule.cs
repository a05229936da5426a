using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Rule&gt;: conditions, exceptions and actions, with Exchange mail-flow-rule semantics.</summary>
public sealed class PolicyRule
{
    private RuleConditionPlan? _plan;

    /// <summary>Unique name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Unique priority; 0 is evaluated first.</summary>
    public int Priority { get; init; }

    /// <summary>The actions, in document order.</summary>
    public IReadOnlyList<PolicyAction> Actions { get; init; } = new List<PolicyAction>();

    /// <summary>Disabled rules are skipped.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Enforce acts; Audit only reports a <see cref="RuleMatch"/> and changes nothing.</summary>
    public RuleMode Mode { get; init; } = RuleMode.Enforce;

    /// <summary>The rule is skipped before this instant (null: always active).</summary>
    public DateTimeOffset? ActivationDate { get; init; }

    /// <summary>The rule is skipped from this instant on (null: never expires).</summary>
    public DateTimeOffset? ExpiryDate { get; init; }

    /// <summary>
    /// When an Enforce rule matches, no later rule is evaluated for the recipients it selected (the
    /// &lt;StopRuleProcessing/&gt; action sets this too).
    /// </summary>
    public bool StopRuleProcessing { get; init; }

    /// <summary>What a rule error (regex timeout) does.</summary>
    internal RuleErrorAction RuleErrorAction { get; init; } = RuleErrorAction.Protect;

    /// <summary>True when the rule's actions protect content or refuse it (what <see cref="RuleErrorAction.Protect"/> applies).</summary>
    public bool IsProtective => Actions.Any(a => a is EncryptSmimeAction or SignSmimeAction or RouteRequireTlsAction or RejectMessageAction);

    /// <summary>Which sender address the rule's sender conditions read (Exchange's default: Header).</summary>
    internal SenderAddressLocation SenderAddressLocation { get; init; } = SenderAddressLocation.Header;

    /// <summary>Free text for administrators.</summary>
    public string? Comments { get; init; }

    /// <summary>&lt;Conditions&gt;: all must hold (AND).</summary>
    internal IReadOnlyList<PolicyCondition> Conditions { get; init; } = Array.Empty<PolicyCondition>();

    /// <summary>&lt;Exceptions&gt;: the ExceptIf twins; any one that holds suppresses the rule (OR).</summary>
    internal IReadOnlyList<PolicyCondition> Exceptions { get; init; } = Array.Empty<PolicyCondition>();

    /// <summary>Where the rule is declared (file:line:col).</summary>
    public string Location { get; init; } = string.Empty;

    /// <summary>True when the rule applies at <paramref name="now"/>: enabled, activated and not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now)
        => Enabled
           && (ActivationDate is null || now >= ActivationDate.Value)
           && (ExpiryDate is null || now < ExpiryDate.Value);

    /// <summary>The conditions split by kind and ordered cheapest first; computed once, published safely, shared by threads.</summary>
    internal RuleConditionPlan Plan
        => System.Threading.LazyInitializer.EnsureInitialized(ref _plan, () => new RuleConditionPlan(Conditions, Exceptions))!;
}
