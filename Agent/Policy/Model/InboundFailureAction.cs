using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>What happens to a message that cannot be decrypted or verified.</summary>
public enum InboundFailureAction
{
    /// <summary>Deliver it unchanged, with a header and an event saying why.</summary>
    PassThrough,
    /// <summary>Defer it (the administrator fixes the key; Exchange retries).</summary>
    Defer,
}
