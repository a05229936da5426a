using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>HeaderMatchesPatterns: a header (every instance) matches one of the patterns.</summary>
internal sealed class HeaderMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public HeaderMatchesPatternsCondition(string header, PatternList patterns)
        : base("HeaderMatchesPatterns", ConditionCost.Headers)
    {
        Header = Guard.NotNull(header);
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The header field name.</summary>
    public string Header { get; }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var value in scope.Message.GetHeaderValues(Header))
        {
            var found = Patterns.Find(value);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
