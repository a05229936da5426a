using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SentToScope: where the recipient is.</summary>
internal sealed class SentToScopeCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public SentToScopeCondition(OrganizationScope scope)
        : base("SentToScope")
    {
        Scope = scope;
    }

    /// <summary>The scope that must hold.</summary>
    public OrganizationScope Scope { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient)
        => OrganizationScopes.Holds(Scope, scope.ScopeOf(recipient.IsInternal, recipient.DomainSuffixes)) ? Scope.ToString() : null;
}
