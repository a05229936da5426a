using System;
using System.Security.Cryptography;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Gcm;

/// <summary>
/// RSA key transport of a content-encryption key (RFC 5652 §6.2.1 KeyTransRecipientInfo): RSA PKCS#1 v1.5
/// (RFC 8551 §2.3 MUST-) and RSAES-OAEP (RFC 3560 / RFC 8017; SHOULD+).
/// </summary>
internal static class RsaKeyTransport
{
    /// <summary>Encrypts <paramref name="contentKey"/> to <paramref name="recipient"/> and describes it as a RecipientInfo.</summary>
    public static RecipientInfo Wrap(X509Certificate recipient, byte[] contentKey, KeyTransportAlgorithm algorithm, SecureRandom random)
    {
        if (recipient.GetPublicKey() is not RsaKeyParameters publicKey || publicKey.IsPrivate)
        {
            throw new ArgumentException($"The certificate of {recipient.SubjectDN} does not hold an RSA key; only RSA key transport is supported.", nameof(recipient));
        }

        IAsymmetricBlockCipher cipher;
        AlgorithmIdentifier keyEncryptionAlgorithm;
        if (algorithm == KeyTransportAlgorithm.RsaOaepSha256)
        {
            // Hash and MGF1 hash are SHA-256 with absent parameters, as OpenSSL writes them (RFC 4055 §2.1 lets
            // both absent and NULL through; readers accept either).
            var sha256 = new AlgorithmIdentifier(NistObjectIdentifiers.IdSha256);
            var parameters = new RsaesOaepParameters(sha256, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, sha256), RsaesOaepParameters.DefaultPSourceAlgorithm);
            keyEncryptionAlgorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsaesOaep, parameters);
            cipher = new OaepEncoding(new RsaBlindedEngine(), new Sha256Digest(), new Sha256Digest(), null);
        }
        else
        {
            keyEncryptionAlgorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);
            cipher = new Pkcs1Encoding(new RsaBlindedEngine());
        }

        cipher.Init(true, new ParametersWithRandom(publicKey, random));
        var encryptedKey = cipher.ProcessBlock(contentKey, 0, contentKey.Length);

        // issuerAndSerialNumber (version 0): what every S/MIME client matches on.
        var recipientId = new RecipientIdentifier(new Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber(recipient.IssuerDN, recipient.SerialNumber));
        return new RecipientInfo(new KeyTransRecipientInfo(recipientId, keyEncryptionAlgorithm, new DerOctetString(encryptedKey)));
    }

    /// <summary>
    /// Decrypts the content-encryption key of <paramref name="info"/> with <paramref name="privateKey"/>. Throws for a
    /// wrong key, bad padding or an unsupported algorithm; callers turn every such failure into one uniform outcome.
    /// </summary>
    public static byte[] Unwrap(KeyTransRecipientInfo info, AsymmetricKeyParameter privateKey)
    {
        var algorithm = info.KeyEncryptionAlgorithm;
        var encrypted = info.EncryptedKey.GetOctets();
        IAsymmetricBlockCipher cipher;
        if (PkcsObjectIdentifiers.RsaEncryption.Equals(algorithm.Algorithm))
        {
            if (privateKey is RsaPrivateCrtKeyParameters platformKey)
            {
                // The platform throws CryptographicException on bad padding where BouncyCastle throws
                // InvalidCipherTextException: callers treat both alike, so the outcome stays one uniform failure.
                return PlatformRsaKey.For(platformKey).Use(rsa => rsa.Decrypt(encrypted, RSAEncryptionPadding.Pkcs1));
            }

            cipher = new Pkcs1Encoding(new RsaBlindedEngine());
        }
        else if (PkcsObjectIdentifiers.IdRsaesOaep.Equals(algorithm.Algorithm))
        {
            var parameters = ReadOaepParameters(algorithm.Parameters);
            if (privateKey is RsaPrivateCrtKeyParameters platformKey && PlatformOaep(parameters) is { } padding)
            {
                return PlatformRsaKey.For(platformKey).Use(rsa => rsa.Decrypt(encrypted, padding));
            }

            cipher = CreateOaep(parameters);
        }
        else
        {
            throw new NotSupportedException("unsupported key transport algorithm " + algorithm.Algorithm.Id);
        }

        cipher.Init(false, privateKey);
        return cipher.ProcessBlock(encrypted, 0, encrypted.Length);
    }

    private static RsaesOaepParameters ReadOaepParameters(Asn1Encodable? encodedParameters)
        // Absent parameters mean the RFC 3560 defaults: SHA-1, MGF1 with SHA-1, empty label.
        => encodedParameters is null || encodedParameters is Asn1Null
            ? new RsaesOaepParameters()
            : RsaesOaepParameters.GetInstance(encodedParameters);

    /// <summary>
    /// The platform's OAEP when it can do what <paramref name="parameters"/> say: MGF1 with the same hash as the
    /// label hash, no label (what every S/MIME client writes); null sends the rest to BouncyCastle.
    /// </summary>
    private static RSAEncryptionPadding? PlatformOaep(RsaesOaepParameters parameters)
    {
        var hash = parameters.HashAlgorithm.Algorithm;
        if (!PkcsObjectIdentifiers.IdMgf1.Equals(parameters.MaskGenAlgorithm.Algorithm)
            || !hash.Equals(AlgorithmIdentifier.GetInstance(parameters.MaskGenAlgorithm.Parameters).Algorithm)
            || !PkcsObjectIdentifiers.IdPSpecified.Equals(parameters.PSourceAlgorithm.Algorithm)
            || Asn1OctetString.GetInstance(parameters.PSourceAlgorithm.Parameters).GetOctets().Length != 0)
        {
            return null;
        }

        if (NistObjectIdentifiers.IdSha256.Equals(hash))
        {
            return RSAEncryptionPadding.OaepSHA256;
        }

        if (NistObjectIdentifiers.IdSha384.Equals(hash))
        {
            return RSAEncryptionPadding.OaepSHA384;
        }

        if (NistObjectIdentifiers.IdSha512.Equals(hash))
        {
            return RSAEncryptionPadding.OaepSHA512;
        }

        return OiwObjectIdentifiers.IdSha1.Equals(hash) ? RSAEncryptionPadding.OaepSHA1 : null;
    }

    private static OaepEncoding CreateOaep(RsaesOaepParameters parameters)
    {
        var hash = CreateDigest(parameters.HashAlgorithm.Algorithm);
        if (!PkcsObjectIdentifiers.IdMgf1.Equals(parameters.MaskGenAlgorithm.Algorithm))
        {
            throw new NotSupportedException("unsupported OAEP mask generation function");
        }

        var mgfHash = CreateDigest(AlgorithmIdentifier.GetInstance(parameters.MaskGenAlgorithm.Parameters).Algorithm);
        byte[]? label = null;
        if (PkcsObjectIdentifiers.IdPSpecified.Equals(parameters.PSourceAlgorithm.Algorithm))
        {
            label = Asn1OctetString.GetInstance(parameters.PSourceAlgorithm.Parameters).GetOctets();
        }

        return new OaepEncoding(new RsaBlindedEngine(), hash, mgfHash, label);
    }

    private static IDigest CreateDigest(DerObjectIdentifier oid)
    {
        if (NistObjectIdentifiers.IdSha256.Equals(oid))
        {
            return new Sha256Digest();
        }

        if (NistObjectIdentifiers.IdSha384.Equals(oid))
        {
            return new Sha384Digest();
        }

        if (NistObjectIdentifiers.IdSha512.Equals(oid))
        {
            return new Sha512Digest();
        }

        if (NistObjectIdentifiers.IdSha224.Equals(oid))
        {
            return new Sha224Digest();
        }

        // OAEP with SHA-1 is still sound (no collision resistance needed) and is the RFC 3560 default.
        if (OiwObjectIdentifiers.IdSha1.Equals(oid))
        {
            return new Sha1Digest();
        }

        throw new NotSupportedException("unsupported OAEP hash " + oid.Id);
    }
}
