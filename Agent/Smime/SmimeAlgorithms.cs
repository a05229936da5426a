using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Smime;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The only algorithms the gateway emits, by policy enum. There is deliberately no path to 3DES, RC2 or DES
/// (RFC 8551 App. B.3: not for new mail).
/// </summary>
internal static class SmimeAlgorithms
{
    /// <summary>The CMS content-encryption OID for a CBC algorithm (RFC 3565).</summary>
    public static string ContentEncryptionOid(ContentEncryptionAlgorithm algorithm) => algorithm switch
    {
        ContentEncryptionAlgorithm.Aes256Cbc => NistObjectIdentifiers.IdAes256Cbc.Id,
        ContentEncryptionAlgorithm.Aes128Cbc => NistObjectIdentifiers.IdAes128Cbc.Id,
        // AES-GCM is AuthEnvelopedData (RFC 5083/5084), written by Agent/Smime/Gcm, never by the CBC envelope writer.
        ContentEncryptionAlgorithm.Aes256Gcm or ContentEncryptionAlgorithm.Aes128Gcm => throw new NotSupportedException(
            "AES-GCM is written as AuthEnvelopedData by Agent/Smime/Gcm, not by the CBC envelope writer."),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown content encryption"),
    };

    /// <summary>Whether the algorithm is one of the AES-GCM (AuthEnvelopedData) ones.</summary>
    public static bool IsGcm(ContentEncryptionAlgorithm algorithm)
        => algorithm is ContentEncryptionAlgorithm.Aes256Gcm or ContentEncryptionAlgorithm.Aes128Gcm;

    /// <summary>
    /// BouncyCastle's RSA key wrapper for <paramref name="algorithm"/>: PKCS#1 v1.5 (rsaEncryption), or RSAES-OAEP with
    /// SHA-256 and MGF1-SHA-256 (RFC 8017 §7.1, RFC 4055 §4.1; OpenSSL: rsa_oaep_md:sha256 rsa_mgf1_md:sha256). Only its
    /// AlgorithmIdentifier is used, once per certificate (<see cref="PlatformKeyWrapper"/>); the wrapping is the platform's.
    /// </summary>
    internal static Asn1KeyWrapper BouncyCastleKeyWrapper(KeyTransportAlgorithm algorithm, X509Certificate certificate) => algorithm switch
    {
        KeyTransportAlgorithm.RsaPkcs1 => new Asn1KeyWrapper(PkcsObjectIdentifiers.RsaEncryption, certificate),
        KeyTransportAlgorithm.RsaOaepSha256 => new Asn1KeyWrapper("RSA/NONE/OAEPWITHSHA256ANDMGF1PADDING", certificate),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key transport"),
    };

    /// <summary>The CMS digest OID (RFC 5754).</summary>
    public static string DigestOid(SignatureDigest digest) => digest switch
    {
        SignatureDigest.Sha256 => CmsSignedGenerator.DigestSha256,
        SignatureDigest.Sha512 => CmsSignedGenerator.DigestSha512,
        _ => throw new ArgumentOutOfRangeException(nameof(digest), digest, "unknown digest"),
    };

    /// <summary>The platform's name of the digest, for hashing the content with IncrementalHash.</summary>
    public static System.Security.Cryptography.HashAlgorithmName HashName(SignatureDigest digest) => digest switch
    {
        SignatureDigest.Sha256 => System.Security.Cryptography.HashAlgorithmName.SHA256,
        SignatureDigest.Sha512 => System.Security.Cryptography.HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(digest), digest, "unknown digest"),
    };

    /// <summary>The multipart/signed micalg parameter (RFC 8551 §3.5.3.2).</summary>
    public static string Micalg(SignatureDigest digest) => digest switch
    {
        SignatureDigest.Sha256 => "sha-256",
        SignatureDigest.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(digest), digest, "unknown digest"),
    };

    /// <summary>
    /// The SMIMECapabilities signed attribute (RFC 8551 §2.5.2), strongest first. Only AES-256-CBC and AES-128-CBC:
    /// capabilities tell partners what to encrypt to us with, and the inbound side (BouncyCastle/MimeKit) cannot
    /// decrypt AuthEnvelopedData yet, so advertising AES-GCM would invite mail we could not read.
    /// </summary>
    public static Org.BouncyCastle.Asn1.Cms.Attribute SmimeCapabilities()
    {
        var capabilities = new SmimeCapabilityVector();
        capabilities.AddCapability(NistObjectIdentifiers.IdAes256Cbc);
        capabilities.AddCapability(NistObjectIdentifiers.IdAes128Cbc);
        var attribute = new SmimeCapabilitiesAttribute(capabilities);
        return new Org.BouncyCastle.Asn1.Cms.Attribute(attribute.AttrType, attribute.AttrValues);
    }

    /// <summary>True when the key is RSA, the only key type the gateway encrypts to or signs with today.</summary>
    public static bool IsRsa(AsymmetricKeyParameter key) => key is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters;

    internal static DerObjectIdentifier Oid(string value) => new(value);
}
