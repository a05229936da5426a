using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Everything of a SignerInfo (RFC 5652 §5.3) and of a detached SignedData that does not change from one message to
/// the next, encoded once in DER for one signer, digest and padding: the certificates SET, the signer's
/// IssuerAndSerialNumber, the algorithm identifiers, and the constant signed attributes (contentType,
/// SMIMECapabilities, CMSAlgorithmProtection of RFC 6211). Per message only signingTime, messageDigest and the
/// signature are new. BouncyCastle's SignedData generator, which built all of it as an object graph per message and
/// sorted and encoded it anew, cost several times the platform's RSA operation it wrapped (docs/performance.md,
/// "Small messages"). The bytes are the ones that generator wrote (SignerTemplateTests compares them).
/// </summary>
/// <remarks>
/// A template is kept beside the <see cref="PrivateKeyEntry"/> object it was made from, so it lives exactly as long as
/// the loaded certificate directory that holds that entry: a reload makes new entries, and so new templates, and an
/// entry with another certificate can never meet the bytes of the old one. It holds public material only; the
/// private key is the entry's, handed in for each signature.
/// </remarks>
internal sealed class SignerTemplate
{
    private static readonly ConditionalWeakTable<PrivateKeyEntry, SignerTemplate?[]> Cache = new();

    /// <summary>Version 1: the signer is named by IssuerAndSerialNumber (RFC 5652 §5.3), for the SignedData as well (§5.1).</summary>
    private static readonly byte[] Version1 = { Der.Integer, 1, 1 };

    private static readonly byte[] SignedDataOid = CmsObjectIdentifiers.SignedData.GetEncoded(Asn1Encodable.Der);
    private static readonly byte[] DataContentInfo = Der.Encode(Der.Sequence, CmsObjectIdentifiers.Data.GetEncoded(Asn1Encodable.Der));
    private static readonly byte[] SigningTimeOid = CmsAttributes.SigningTime.GetEncoded(Asn1Encodable.Der);
    private static readonly byte[] MessageDigestOid = CmsAttributes.MessageDigest.GetEncoded(Asn1Encodable.Der);

    private static readonly byte[] ContentTypeAttribute = Der.Encode(Der.Sequence,
        CmsAttributes.ContentType.GetEncoded(Asn1Encodable.Der), Der.Encode(Der.Set, CmsObjectIdentifiers.Data.GetEncoded(Asn1Encodable.Der)));

    private static readonly byte[] CapabilitiesAttribute = SmimeAlgorithms.SmimeCapabilities().GetEncoded(Asn1Encodable.Der);

    private readonly byte[] _signerInfoPrefix;
    private readonly byte[] _signatureAlgorithm;
    private readonly byte[] _algorithmProtectionAttribute;
    private readonly HashAlgorithmName _hash;
    private readonly RSASignaturePadding _padding;
    private readonly string _managedSignerName;

    private SignerTemplate(PrivateKeyEntry signer, SignatureDigest digest, SignaturePadding padding)
    {
        var digestOid = new DerObjectIdentifier(SmimeAlgorithms.DigestOid(digest));
        _hash = SmimeAlgorithms.HashName(digest);

        // The digest AlgorithmIdentifier with its parameters absent, as RFC 5754 §2 prefers and BouncyCastle wrote.
        var digestAlgorithm = new AlgorithmIdentifier(digestOid).GetEncoded(Asn1Encodable.Der);
        DigestAlgorithms = Der.Encode(Der.Set, digestAlgorithm);
        (_padding, _signatureAlgorithm, _managedSignerName) = SignatureAlgorithm(digest, padding, digestOid);

        var issuerAndSerial = new Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber(signer.Certificate.IssuerDN, signer.Certificate.SerialNumber).GetEncoded(Asn1Encodable.Der);
        _signerInfoPrefix = Der.Concat(Version1, issuerAndSerial, digestAlgorithm);

        // RFC 6211: CMSAlgorithmProtection ::= SEQUENCE { digestAlgorithm, signatureAlgorithm [1] IMPLICIT }.
        var implicitSignatureAlgorithm = (byte[])_signatureAlgorithm.Clone();
        implicitSignatureAlgorithm[0] = Der.Context(1);
        _algorithmProtectionAttribute = Der.Encode(Der.Sequence, CmsAttributes.CmsAlgorithmProtect.GetEncoded(Asn1Encodable.Der),
            Der.Encode(Der.Set, Der.Encode(Der.Sequence, digestAlgorithm, implicitSignatureAlgorithm)));

        // The signer's certificate and its chain (RFC 8550 §2.3), [0] IMPLICIT SET OF in DER order.
        var certificates = new List<byte[]> { signer.Certificate.GetEncoded() };
        foreach (var certificate in signer.Chain)
        {
            if (!certificate.Equals(signer.Certificate))
            {
                certificates.Add(certificate.GetEncoded());
            }
        }

        Certificates = Der.SetOf(certificates.ToArray());
        Certificates[0] = Der.Context(0);
    }

    /// <summary>The digestAlgorithms SET of the SignedData (one digest).</summary>
    public byte[] DigestAlgorithms { get; }

    /// <summary>The certificates field of the SignedData: [0] IMPLICIT SET OF Certificate.</summary>
    public byte[] Certificates { get; }

    /// <summary>The template of <paramref name="signer"/> for <paramref name="digest"/> and <paramref name="padding"/>, made on first use.</summary>
    public static SignerTemplate For(PrivateKeyEntry signer, SignatureDigest digest, SignaturePadding padding)
    {
        var slots = Cache.GetValue(Guard.NotNull(signer), _ => new SignerTemplate?[4]);
        var index = (digest == SignatureDigest.Sha512 ? 2 : 0) + (padding == SignaturePadding.Pss ? 1 : 0);

        // Two threads may both make one the first time; either is right, the one stored stays.
        return Volatile.Read(ref slots[index])
            ?? Interlocked.CompareExchange(ref slots[index], new SignerTemplate(signer, digest, padding), null)
            ?? slots[index]!;
    }

    /// <summary>
    /// The SignerInfos SET (this one SignerInfo) for content whose <paramref name="digest"/> the caller took, signed
    /// at <paramref name="signingTimeUtc"/> with <paramref name="privateKey"/> (the entry's own).
    /// </summary>
    public byte[] SignerInfos(byte[] digest, DateTime signingTimeUtc, AsymmetricKeyParameter privateKey)
    {
        // The signed attributes, DER SET OF: the signature is over this encoding with the SET tag (RFC 5652 §5.4).
        var attributes = Der.SetOf(
            ContentTypeAttribute,
            Der.Encode(Der.Sequence, SigningTimeOid, Der.Encode(Der.Set, SigningTime(signingTimeUtc))),
            Der.Encode(Der.Sequence, MessageDigestOid, Der.Encode(Der.Set, Der.Encode(Der.OctetString, digest))),
            CapabilitiesAttribute,
            _algorithmProtectionAttribute);
        var signature = Sign(attributes, privateKey);

        // In the SignerInfo the same contents are [0] IMPLICIT: only the identifier changes.
        attributes[0] = Der.Context(0);
        return Der.Encode(Der.Set, Der.Encode(Der.Sequence, _signerInfoPrefix, attributes, _signatureAlgorithm, Der.Encode(Der.OctetString, signature)));
    }

    /// <summary>A detached SignedData ContentInfo (RFC 5652 §5.1, no eContent) in DER: the signature part of a clear-signed message.</summary>
    public byte[] DetachedSignedData(byte[] digest, DateTime signingTimeUtc, AsymmetricKeyParameter privateKey)
    {
        var signedData = Der.Encode(Der.Sequence, Version1, DigestAlgorithms, DataContentInfo, Certificates,
            SignerInfos(digest, signingTimeUtc, privateKey));
        return Der.Encode(Der.Sequence, SignedDataOid, Der.Encode(Der.Context(0), signedData));
    }

    /// <summary>
    /// signingTime as RFC 5652 §11.3 requires: UTCTime from 1950 through 2049, GeneralizedTime otherwise, in whole
    /// seconds, Zulu.
    /// </summary>
    internal static byte[] SigningTime(DateTime utc)
    {
        var utcTime = utc.Year is >= 1950 and <= 2049;
        var text = utc.ToString(utcTime ? "yyMMddHHmmss" : "yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        var result = new byte[2 + text.Length];
        result[0] = utcTime ? Der.UtcTime : Der.GeneralizedTime;
        result[1] = (byte)text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            result[2 + i] = (byte)text[i];
        }

        return result;
    }

    /// <summary>
    /// The platform's RSA for a CRT key (what PEM, PKCS#8 and PKCS#12 files hold); BouncyCastle's signer for any other
    /// RSA private key, which the platform cannot import. Both with the same padding and salt (PSS: MGF1 with the
    /// same hash, salt as long as the hash).
    /// </summary>
    private byte[] Sign(byte[] attributes, AsymmetricKeyParameter privateKey)
    {
        if (privateKey is RsaPrivateCrtKeyParameters crtKey)
        {
            return PlatformRsaKey.For(crtKey).Use(rsa => rsa.SignData(attributes, _hash, _padding));
        }

        var signer = SignerUtilities.GetSigner(_managedSignerName);
        signer.Init(true, privateKey);
        signer.BlockUpdate(attributes, 0, attributes.Length);
        return signer.GenerateSignature();
    }

    /// <summary>
    /// The signatureAlgorithm (what the platform signer wrote before: sha256/512WithRSAEncryption with NULL parameters,
    /// RFC 4055 §5; or RSASSA-PSS with MGF1 over the same hash and salt = hash length, RFC 4056), the platform's
    /// padding and BouncyCastle's signer name.
    /// </summary>
    private static (RSASignaturePadding Padding, byte[] Identifier, string ManagedName) SignatureAlgorithm(
        SignatureDigest digest, SignaturePadding padding, DerObjectIdentifier digestOid)
    {
        var (bits, saltLength) = digest == SignatureDigest.Sha512 ? (512, 64) : (256, 32);
        return padding switch
        {
            SignaturePadding.Pkcs1 => (RSASignaturePadding.Pkcs1, new AlgorithmIdentifier(
                    digest == SignatureDigest.Sha512 ? PkcsObjectIdentifiers.Sha512WithRsaEncryption : PkcsObjectIdentifiers.Sha256WithRsaEncryption,
                    DerNull.Instance).GetEncoded(Asn1Encodable.Der),
                "SHA-" + bits + "withRSA"),
            SignaturePadding.Pss => (RSASignaturePadding.Pss, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, new RsassaPssParameters(
                    new AlgorithmIdentifier(digestOid, DerNull.Instance),
                    new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, new AlgorithmIdentifier(digestOid, DerNull.Instance)),
                    DerInteger.ValueOf(saltLength),
                    DerInteger.ValueOf(1))).GetEncoded(Asn1Encodable.Der),
                "SHA-" + bits + "withRSAandMGF1"),
            _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "unknown padding"),
        };
    }
}
