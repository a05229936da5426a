namespace ExchangeEncryptionAgent.Processing;

/// <summary>The words plan.json, the demo manifest and the logs use for a <see cref="CopyProtection"/>.</summary>
public static class CopyProtectionNames
{
    /// <summary>"none", "encrypted", "signed", "signed+encrypted" or "decrypted".</summary>
    public static string Keyword(CopyProtection protection) => protection switch
    {
        CopyProtection.Encrypted => "encrypted",
        CopyProtection.Signed => "signed",
        CopyProtection.SignedAndEncrypted => "signed+encrypted",
        CopyProtection.Decrypted => "decrypted",
        _ => "none",
    };
}
