using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// RSA key transport (the public-key operation that wraps the content-encryption key) by the platform (OpenSSL on
/// Linux, CNG on Windows); BouncyCastle still writes the RecipientInfo around it. BouncyCastle's managed public-key
/// operation took about a third of a 10 KB message's whole cost in the small-message profile (docs/performance.md,
/// "Small messages"), many times what OpenSSL needs for the same operation.
/// </summary>
/// <remarks>
/// The AlgorithmIdentifier written into the RecipientInfo is BouncyCastle's own wrapper's (PKCS#1 v1.5 or OAEP with
/// SHA-256 and MGF1-SHA-256), so the encoding does not change; only the arithmetic moves. A certificate's public key is
/// converted once and kept beside the certificate object (a policy's certificates live as long as the policy), with
/// the platform objects made from it.
/// </remarks>
internal sealed class PlatformKeyWrapper : IKeyWrapper
{
    private static readonly ConditionalWeakTable<X509Certificate, PlatformRsaKey> Keys = new();

    private readonly IKeyWrapper _details;
    private readonly PlatformRsaKey _key;
    private readonly RSAEncryptionPadding _padding;

    private PlatformKeyWrapper(IKeyWrapper details, PlatformRsaKey key, RSAEncryptionPadding padding)
    {
        _details = details;
        _key = key;
        _padding = padding;
    }

    /// <inheritdoc />
    public object AlgorithmDetails => _details.AlgorithmDetails;

    /// <summary>
    /// The platform wrapper for <paramref name="certificate"/>, or <paramref name="bouncyCastle"/> itself when the
    /// certificate's key is not an RSA public key the platform can hold.
    /// </summary>
    public static IKeyWrapper For(IKeyWrapper bouncyCastle, KeyTransportAlgorithm algorithm, X509Certificate certificate)
    {
        // Importing costs about four times the public-key operation itself (OpenSSL decodes a SubjectPublicKeyInfo
        // each time), so the pool lives beside the certificate object, as long as the policy that holds it.
        if (!Keys.TryGetValue(certificate, out var key))
        {
            if (certificate.GetPublicKey() is not RsaKeyParameters { IsPrivate: false } publicKey)
            {
                return bouncyCastle;
            }

            key = Keys.GetValue(certificate, _ => PlatformRsaKey.ForPublicKey(publicKey));
        }

        var padding = algorithm == KeyTransportAlgorithm.RsaOaepSha256 ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.Pkcs1;
        return new PlatformKeyWrapper(bouncyCastle, key, padding);
    }

    /// <inheritdoc />
    public IBlockResult Wrap(byte[] keyData) => new SimpleBlockResult(_key.Use(rsa => rsa.Encrypt(keyData, _padding)));
}
