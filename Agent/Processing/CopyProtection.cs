namespace ExchangeEncryptionAgent.Processing;

/// <summary>How a copy is protected, as plan.json and the demo manifest say it.</summary>
public enum CopyProtection
{
    /// <summary>Delivered as it came (maybe with header edits or over forced TLS).</summary>
    None,
    /// <summary>S/MIME enveloped (or authEnveloped) for its recipients.</summary>
    Encrypted,
    /// <summary>S/MIME signed.</summary>
    Signed,
    /// <summary>Signed, then encrypted.</summary>
    SignedAndEncrypted,
    /// <summary>Inbound: decrypted (and/or verified) for internal recipients.</summary>
    Decrypted,
}
