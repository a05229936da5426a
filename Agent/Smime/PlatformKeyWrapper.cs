using System.Collections.Concurrent;
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
    private static readonly ConditionalWeakTable<X509Certificate, PublicKey> Keys = new();

    private readonly IKeyWrapper _details;
    private readonly PublicKey _key;
    private readonly RSAEncryptionPadding _padding;

    private PlatformKeyWrapper(IKeyWrapper details, PublicKey key, RSAEncryptionPadding padding)
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
        var padding = algorithm == KeyTransportAlgorithm.RsaOaepSha256 ? RSAEncryptionPadding.OaepSHA256 : RSAEncryptionPadding.Pkcs1;
        var key = Keys.GetValue(certificate, c => new PublicKey(c.GetPublicKey() as RsaKeyParameters));
        return key.Parameters is null ? bouncyCastle : new PlatformKeyWrapper(bouncyCastle, key, padding);
    }

    /// <inheritdoc />
    public IBlockResult Wrap(byte[] keyData)
    {
        var rsa = _key.Take();
        try
        {
            return new SimpleBlockResult(rsa.Encrypt(keyData, _padding));
        }
        finally
        {
            _key.Return(rsa);
        }
    }

    /// <summary>
    /// The platform's form of one certificate's RSA public key (no parameters: not an RSA public key), with the
    /// platform objects made from it: importing costs about four times the public-key operation itself (OpenSSL decodes
    /// a SubjectPublicKeyInfo each time), so each message takes an idle one and gives it back. The platform does not
    /// promise that one instance may be used by several threads at once; there are as many as messages ever encrypted
    /// to this certificate at the same time. Nothing secret is held, so the objects are left to the collector with the
    /// certificate.
    /// </summary>
    private sealed class PublicKey
    {
        private readonly ConcurrentBag<RSA> _idle = new();

        public PublicKey(RsaKeyParameters? key)
        {
            if (key is { IsPrivate: false })
            {
                Parameters = new RSAParameters
                {
                    Modulus = key.Modulus.ToByteArrayUnsigned(),
                    Exponent = key.Exponent.ToByteArrayUnsigned(),
                };
            }
        }

        public RSAParameters? Parameters { get; }

        public RSA Take()
        {
            if (_idle.TryTake(out var idle))
            {
                return idle;
            }

            return PlatformRsaKey.Import(Parameters!.Value);
        }

        public void Return(RSA rsa) => _idle.Add(rsa);
    }
}
