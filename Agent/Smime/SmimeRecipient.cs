using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>One RecipientInfo of an envelope: a certificate and the RSA key transport to use for it.</summary>
internal sealed class SmimeRecipient
{
    /// <summary>Creates a recipient.</summary>
    public SmimeRecipient(X509Certificate certificate, KeyTransportAlgorithm keyTransport = KeyTransportAlgorithm.RsaPkcs1)
    {
        Certificate = Guard.NotNull(certificate);
        KeyTransport = keyTransport;
    }

    /// <summary>The certificate whose public key wraps the content-encryption key (already validated by the caller).</summary>
    public X509Certificate Certificate { get; }

    /// <summary>PKCS#1 v1.5 or RSA-OAEP.</summary>
    public KeyTransportAlgorithm KeyTransport { get; }
}
