using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RSA signature padding.</summary>
public enum SignaturePadding
{
    /// <summary>PKCS#1 v1.5 (default, RFC 8551 MUST-).</summary>
    Pkcs1,
    /// <summary>RSASSA-PSS, salt length = hash length.</summary>
    Pss,
}
