using System;
using System.IO;
using System.Security.Cryptography;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Makes the RSA signature of a SignerInfo with the platform's RSA (OpenSSL on Linux, CNG on Windows) instead of
/// BouncyCastle's managed big-integer arithmetic, which cost a fifth of the gateway's CPU per signed message
/// (docs/performance.md). BouncyCastle still builds the CMS structure; only the private-key operation moves.
/// The algorithm identifiers are the ones BouncyCastle's own signer writes (RFC 3370 §3.2, RFC 4056).
/// </summary>
internal sealed class PlatformRsaSignatureFactory : ISignatureFactory
{
    private readonly PlatformRsaKey _key;
    private readonly HashAlgorithmName _hash;
    private readonly RSASignaturePadding _padding;

    public PlatformRsaSignatureFactory(RsaPrivateCrtKeyParameters key, SignatureDigest digest, SignaturePadding padding)
    {
        _key = PlatformRsaKey.For(Guard.NotNull(key));
        (_hash, var digestOid, var saltLength) = digest switch
        {
            SignatureDigest.Sha256 => (HashAlgorithmName.SHA256, NistObjectIdentifiers.IdSha256, 32),
            SignatureDigest.Sha512 => (HashAlgorithmName.SHA512, NistObjectIdentifiers.IdSha512, 64),
            _ => throw new ArgumentOutOfRangeException(nameof(digest), digest, "unknown digest"),
        };
        (_padding, AlgorithmDetails) = padding switch
        {
            SignaturePadding.Pkcs1 => (RSASignaturePadding.Pkcs1, new AlgorithmIdentifier(
                digest == SignatureDigest.Sha256 ? PkcsObjectIdentifiers.Sha256WithRsaEncryption : PkcsObjectIdentifiers.Sha512WithRsaEncryption,
                DerNull.Instance)),
            // MGF1 with the same hash, salt as long as the hash: what BouncyCastle wrote before and .NET's PSS does.
            SignaturePadding.Pss => (RSASignaturePadding.Pss, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, new RsassaPssParameters(
                new AlgorithmIdentifier(digestOid, DerNull.Instance),
                new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, new AlgorithmIdentifier(digestOid, DerNull.Instance)),
                DerInteger.ValueOf(saltLength),
                DerInteger.ValueOf(1)))),
            _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "unknown padding"),
        };
    }

    /// <inheritdoc />
    public object AlgorithmDetails { get; }

    /// <summary>Whether <paramref name="key"/> can be signed with here (a CRT private key: what PEM/PKCS#8 files hold).</summary>
    public static bool Supports(AsymmetricKeyParameter key) => PlatformRsaKey.Supports(key);

    /// <inheritdoc />
    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(this);

    private byte[] Sign(byte[] data) => _key.Use(rsa => rsa.SignData(data, _hash, _padding));

    /// <summary>Collects what BouncyCastle signs (the DER of the signed attributes: a few hundred bytes).</summary>
    private sealed class Calculator : IStreamCalculator<IBlockResult>, IDisposable
    {
        private readonly PlatformRsaSignatureFactory _factory;
        private readonly MemoryStream _data = new();

        public Calculator(PlatformRsaSignatureFactory factory) => _factory = factory;

        public Stream Stream => _data;

        public IBlockResult GetResult() => new SimpleBlockResult(_factory.Sign(_data.ToArray()));

        public void Dispose() => _data.Dispose();
    }
}
