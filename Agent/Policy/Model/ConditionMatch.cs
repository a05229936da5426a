using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>A condition that held and the value that made it hold.</summary>
public sealed class ConditionMatch
{
    /// <summary>The condition element name (for example RecipientDomainIs).</summary>
    public string Condition { get; init; } = string.Empty;

    /// <summary>The value that matched (a word, a domain, a header value excerpt); never more than 200 characters.</summary>
    public string MatchedValue { get; init; } = string.Empty;
}
