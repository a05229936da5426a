using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Symmetric content encryption. Never 3DES, RC2 or DES for new mail (RFC 8551 App. B).</summary>
public enum ContentEncryptionAlgorithm
{
    /// <summary>AES-256-CBC: the default, the widest interoperability today.</summary>
    Aes256Cbc,
    /// <summary>AES-128-CBC.</summary>
    Aes128Cbc,
    /// <summary>AES-256-GCM (AuthEnvelopedData, RFC 5083/5084); only for partners known to read it.</summary>
    Aes256Gcm,
    /// <summary>AES-128-GCM (AuthEnvelopedData).</summary>
    Aes128Gcm,
}
