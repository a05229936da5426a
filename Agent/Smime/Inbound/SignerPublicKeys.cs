using System;
using System.Collections.Concurrent;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// The public keys of signer certificates, made once per key. BouncyCastle validates an RSA modulus each time it builds
/// a public key from a certificate (a probable-prime test, about 25 ms for RSA-2048 here), and a signer certificate is
/// parsed anew from every message: that test was most of verifying a 1 MB message (docs/performance.md, "Inbound
/// S/MIME"). Keyed by the SHA-256 of the SubjectPublicKeyInfo, which the key is derived from and nothing else, so a
/// sender cannot make two keys share an entry; bounded, since senders choose the certificates (a full cache is
/// emptied and starts again).
/// </summary>
internal static class SignerPublicKeys
{
    internal const int MaxKeys = 4096;

    private static readonly ConcurrentDictionary<string, AsymmetricKeyParameter> Keys = new(StringComparer.Ordinal);

    public static AsymmetricKeyParameter Of(X509Certificate certificate)
    {
        Guard.NotNull(certificate);
        var id = Hex.Sha256(certificate.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der));
        if (Keys.TryGetValue(id, out var known))
        {
            return known;
        }

        var key = certificate.GetPublicKey();
        if (Keys.Count >= MaxKeys)
        {
            Keys.Clear();
        }

        Keys.TryAdd(id, key);
        return key;
    }

}
