using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>What happened to an encrypted message, as stamped in X-EEA-Decryption (docs/headers.md).</summary>
internal enum DecryptionOutcome
{
    /// <summary>Nothing in the message was encrypted (no header is stamped).</summary>
    NotEncrypted,
    /// <summary>Decrypted; the plaintext replaced the body.</summary>
    Decrypted,
    /// <summary>
    /// Decrypted, but the content was encrypted without integrity protection and no valid signature inside covers it:
    /// delivered as a notice with the decrypted content attached (UnsignedCbcContent=Attachment).
    /// </summary>
    DecryptedAttachment,
    /// <summary>Decryptable with a configured key, delivered as ciphertext (Deliver=Ciphertext, or UnsignedCbcContent=Ciphertext).</summary>
    KeptCiphertext,
    /// <summary>Encrypted for nobody whose key is configured; passed unchanged.</summary>
    NotForUs,
    /// <summary>Addressed to a configured key but not decryptable (or too deeply nested); passed unchanged or deferred.</summary>
    Failed,
}
