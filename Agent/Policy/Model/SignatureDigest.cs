using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Signature digest (RFC 8551 §2.1).</summary>
public enum SignatureDigest
{
    /// <summary>SHA-256 (default).</summary>
    Sha256,
    /// <summary>SHA-512.</summary>
    Sha512,
}
