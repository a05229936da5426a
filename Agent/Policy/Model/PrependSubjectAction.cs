using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>PrependSubject: put text in front of the Subject (once; not again when already there).</summary>
public sealed class PrependSubjectAction : PolicyAction
{
    /// <summary>The text to prepend.</summary>
    public string Text { get; init; } = string.Empty;
}
