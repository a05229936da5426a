using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>SetHeader: set (replace) a header on the copy.</summary>
public sealed class SetHeaderAction : PolicyAction
{
    /// <summary>Header name (RFC 5322 field name).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Header value (unstructured text).</summary>
    public string Value { get; init; } = string.Empty;
}
