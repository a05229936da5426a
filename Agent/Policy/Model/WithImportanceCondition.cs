using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>WithImportance: the Importance (or X-Priority) of the message; absent means Normal.</summary>
internal sealed class WithImportanceCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public WithImportanceCondition(IReadOnlyList<MessageImportance> importances)
        : base("WithImportance", ConditionCost.Headers)
    {
        Importances = Guard.NotNull(importances);
    }

    /// <summary>The importances (OR).</summary>
    public IReadOnlyList<MessageImportance> Importances { get; }

    internal override string? Match(EvaluationScope scope)
    {
        var actual = scope.Message.Importance;
        return Importances.Contains(actual) ? actual.ToString() : null;
    }
}
