using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Rule mode: Enforce acts; Audit only logs what would have happened.</summary>
public enum RuleMode
{
    /// <summary>Carry out the actions.</summary>
    Enforce,
    /// <summary>Log what would happen; change nothing.</summary>
    Audit,
}
