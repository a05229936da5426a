using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>HasSensitivity: the Sensitivity header (RFC 2156); absent means Normal.</summary>
internal sealed class HasSensitivityCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public HasSensitivityCondition(IReadOnlyList<MessageSensitivity> sensitivities)
        : base("HasSensitivity", ConditionCost.Headers)
    {
        Sensitivities = Guard.NotNull(sensitivities);
    }

    /// <summary>The sensitivities (OR).</summary>
    public IReadOnlyList<MessageSensitivity> Sensitivities { get; }

    internal override string? Match(EvaluationScope scope)
    {
        var actual = scope.Message.Sensitivity;
        return Sensitivities.Contains(actual) ? actual.ToString() : null;
    }
}
