namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>One layer decrypted without integrity protection, and the signed layer directly inside it, if any.</summary>
internal sealed class CbcDecryption
{
    /// <summary>The signed layer that is exactly the plaintext (or the presented message's body), or null.</summary>
    public SignedLayer? CoveringLayer { get; set; }
}
