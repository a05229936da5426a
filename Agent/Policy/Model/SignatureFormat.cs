using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>How the signature is attached.</summary>
public enum SignatureFormat
{
    /// <summary>multipart/signed (RFC 1847), readable without S/MIME support; prepared to 7-bit first.</summary>
    Clear,
    /// <summary>application/pkcs7-mime; smime-type=signed-data; survives relays that rewrite content.</summary>
    Opaque,
}
