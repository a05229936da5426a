using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>What an inbound decryption delivers.</summary>
public enum DecryptedDelivery
{
    /// <summary>Deliver the plain text (downstream anti-virus, journaling and archiving see it).</summary>
    Decrypted,
    /// <summary>Check that the organisation can decrypt, stamp the result, deliver the ciphertext unchanged.</summary>
    Ciphertext,
}
