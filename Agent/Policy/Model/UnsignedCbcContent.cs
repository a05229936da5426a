using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// What an inbound decryption delivers when the content was encrypted without integrity protection (enveloped-data:
/// AES-CBC or 3DES) and no valid signature inside the encryption covers it. CBC is malleable: whoever captured the
/// ciphertext can rewrite it so that the decrypted HTML sends the secret to an address of their choosing (EFAIL).
/// </summary>
internal enum UnsignedCbcContent
{
    /// <summary>Deliver a short notice with the decrypted content as an attachment that nothing renders unasked (the default).</summary>
    Attachment,
    /// <summary>Deliver the ciphertext unchanged, as Deliver="Ciphertext" would.</summary>
    Ciphertext,
    /// <summary>Deliver the decrypted content as it is, active HTML included (opt-in; EFAIL-exposed).</summary>
    Deliver,
}
