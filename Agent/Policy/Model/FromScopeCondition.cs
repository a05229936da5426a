using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>FromScope: where the sender is.</summary>
internal sealed class FromScopeCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public FromScopeCondition(OrganizationScope scope)
        : base("FromScope", ConditionCost.Envelope)
    {
        Scope = scope;
    }

    /// <summary>The scope that must hold.</summary>
    public OrganizationScope Scope { get; }

    internal override string? Match(EvaluationScope scope)
        => OrganizationScopes.Holds(Scope, scope.SenderScope) ? Scope.ToString() : null;
}
