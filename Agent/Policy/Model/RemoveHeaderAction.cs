using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RemoveHeader: remove every instance of a header from the copy.</summary>
public sealed class RemoveHeaderAction : PolicyAction
{
    /// <summary>Header name.</summary>
    public string Name { get; init; } = string.Empty;
}
