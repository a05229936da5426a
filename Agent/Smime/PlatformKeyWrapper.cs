using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// One recipient certificate's KeyTransRecipientInfo (RFC 5652 §6.2.1), written per message from DER made once: the
/// version, the IssuerAndSerialNumber and the key-encryption AlgorithmIdentifier never change, only the wrapped key.
/// The wrapping (the RSA public-key operation) is the platform's (OpenSSL on Linux, CNG on Windows): BouncyCastle's
/// managed operation took about a third of a 10 KB message's cost, and its RecipientInfo generator most of the rest of
/// the envelope's (docs/performance.md, "Small messages").
/// </summary>
/// <remarks>
/// Kept beside the certificate object (a policy's certificates live as long as the policy, and a reload reads them
/// anew), with the platform key objects made from it: importing a public key per message cost four times the
/// public-key operation itself (OpenSSL decodes a SubjectPublicKeyInfo each time). Nothing here is secret.
/// The key-encryption identifiers are the ones BouncyCastle's wrappers wrote: rsaEncryption with NULL parameters, or
/// RSAES-OAEP with SHA-256 and MGF1-SHA-256.
/// </remarks>
internal sealed class PlatformKeyWrapper
{
    private static readonly ConditionalWeakTable<X509Certificate, PlatformKeyWrapper> Wrappers = new();

    /// <summary>KeyTransRecipientInfo version 0: the recipient is named by IssuerAndSerialNumber.</summary>
    private static readonly byte[] Version0 = { Der.Integer, 1, 0 };

    private readonly X509Certificate _certificate;
    private readonly PlatformRsaKey _key;
    private readonly byte[] _recipientIdentifier;
    private readonly byte[]?[] _prefixes = new byte[2][];

    private PlatformKeyWrapper(X509Certificate certificate, PlatformRsaKey key)
    {
        _certificate = certificate;
        _key = key;
        _recipientIdentifier = new IssuerAndSerialNumber(certificate.IssuerDN, certificate.SerialNumber).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>The wrapper of <paramref name="certificate"/>, whose key must be an RSA public key (the caller checked).</summary>
    public static PlatformKeyWrapper For(X509Certificate certificate)
    {
        return Wrappers.GetValue(Guard.NotNull(certificate), c => new PlatformKeyWrapper(c, PlatformRsaKey.ForPublicKey((RsaKeyParameters)c.GetPublicKey())));
    }

    /// <summary>The DER KeyTransRecipientInfo that carries <paramref name="contentKey"/> wrapped with <paramref name="algorithm"/>.</summary>
    public byte[] RecipientInfo(byte[] contentKey, KeyTransportAlgorithm algorithm)
    {
        var padding = algorithm == KeyTransportAlgorithm.RsaOaepSha256 ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.Pkcs1;
        var encryptedKey = _key.Use(rsa => rsa.Encrypt(contentKey, padding));
        return Der.Encode(Der.Sequence, Prefix(algorithm), Der.Encode(Der.OctetString, encryptedKey));
    }

    /// <summary>Version, recipient identifier and key-encryption algorithm: the RecipientInfo up to the encrypted key.</summary>
    private byte[] Prefix(KeyTransportAlgorithm algorithm)
    {
        var index = algorithm == KeyTransportAlgorithm.RsaOaepSha256 ? 1 : 0;
        if (Volatile.Read(ref _prefixes[index]) is { } prefix)
        {
            return prefix;
        }

        var identifier = (AlgorithmIdentifier)SmimeAlgorithms.BouncyCastleKeyWrapper(algorithm, _certificate).AlgorithmDetails;
        return Interlocked.CompareExchange(ref _prefixes[index], Der.Concat(Version0, _recipientIdentifier, identifier.GetEncoded(Asn1Encodable.Der)), null)
            ?? _prefixes[index]!;
    }
}
