using System;

namespace ExchangeEncryptionAgent.Content;

/// <summary>WithImportance values.</summary>
internal enum MessageImportance
{
    /// <summary>Low (Importance: low, X-Priority 4 or 5).</summary>
    Low,
    /// <summary>Normal, also when no header says anything.</summary>
    Normal,
    /// <summary>High (Importance: high, X-Priority 1 or 2).</summary>
    High,
}
