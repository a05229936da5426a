using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>FromAddressMatchesPatterns: the sender address matches one of the patterns.</summary>
internal sealed class FromAddressMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public FromAddressMatchesPatternsCondition(PatternList patterns, SenderAddressLocation location = SenderAddressLocation.Header)
        : base("FromAddressMatchesPatterns", ConditionCost.Envelope)
    {
        Patterns = Guard.NotNull(patterns);
        AddressLocation = location;
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    /// <summary>Which sender address it reads (the rule's SenderAddressLocation).</summary>
    public SenderAddressLocation AddressLocation { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var sender in SenderAddresses.For(scope.Message, AddressLocation))
        {
            if (Patterns.Find(sender.Address) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
