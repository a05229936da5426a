namespace ExchangeEncryptionAgent.Smime;

/// <summary>How an attempt to decrypt one CMS layer ended.</summary>
internal enum CmsDecryptStatus
{
    /// <summary>A configured key decrypted it; the plaintext was authenticated (GCM) or fully unpadded (CBC).</summary>
    Decrypted,
    /// <summary>No RecipientInfo names a configured key.</summary>
    NotForUs,
    /// <summary>A RecipientInfo names a configured key but nothing could be decrypted (one uniform outcome).</summary>
    Failed,
}
