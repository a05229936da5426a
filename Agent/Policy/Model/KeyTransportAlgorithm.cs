using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>RSA key transport for the content-encryption key.</summary>
public enum KeyTransportAlgorithm
{
    /// <summary>RSA PKCS#1 v1.5: the default; what every S/MIME client reads.</summary>
    RsaPkcs1,
    /// <summary>RSAES-OAEP with SHA-256 and MGF1-SHA-256; per partner.</summary>
    RsaOaepSha256,
}
