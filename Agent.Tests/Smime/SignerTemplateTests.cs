using System;
using System.Linq;
using System.Security.Cryptography;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Tests.Support;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Utilities.Collections;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>
/// The SignerInfo and detached SignedData written from precomputed DER are the bytes BouncyCastle's SignedData
/// generator wrote before (same attributes, same order, same identifiers), so every reader that accepted those
/// accepts these; the interop tests (SmimeInteropTests, OpaqueSignatureTests) verify them with openssl and gpgsm.
/// </summary>
public sealed class SignerTemplateTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    // Whole seconds: signingTime carries no fractions.
    private static readonly DateTime SigningTime = new(2026, 12, 2, 7, 8, 9, DateTimeKind.Utc);

    private static readonly byte[] Content = "content"u8.ToArray();

    [Theory]
    [InlineData(SignatureDigest.Sha256)]
    [InlineData(SignatureDigest.Sha512)]
    public void Pkcs1DetachedSignature_IsByteForByteWhatBouncyCastlesGeneratorWrote(SignatureDigest digest)
    {
        // PKCS#1 v1.5 signatures are deterministic, so the whole encoding can be compared, signature included.
        var signer = Pki.SignerEntry;
        var contentDigest = Digest(digest);

        var ours = SignerTemplate.For(signer, digest, SignaturePadding.Pkcs1).DetachedSignedData(contentDigest, SigningTime, signer.PrivateKey);

        Assert.Equal(Hex.Upper(BouncyCastleDetached(signer, digest, contentDigest)), Hex.Upper(ours));
    }

    [Theory]
    [InlineData(SignatureDigest.Sha256)]
    [InlineData(SignatureDigest.Sha512)]
    public void PssSignature_HasTheGeneratorsAttributesAndIdentifiers_AndVerifies(SignatureDigest digest)
    {
        var signer = Pki.SignerEntry;
        var contentDigest = Digest(digest);

        var ours = SignerOf(SignerTemplate.For(signer, digest, SignaturePadding.Pss).DetachedSignedData(contentDigest, SigningTime, signer.PrivateKey));
        var reference = SignerOf(BouncyCastleDetached(signer, digest, contentDigest, pss: true));

        Assert.Equal(reference.SignerInfo.SignedAttrs.GetEncoded(Asn1Encodable.Der), ours.SignerInfo.SignedAttrs.GetEncoded(Asn1Encodable.Der));
        Assert.Equal(reference.SignerInfo.SignatureAlgorithm.GetEncoded(Asn1Encodable.Der), ours.SignerInfo.SignatureAlgorithm.GetEncoded(Asn1Encodable.Der));
        Assert.Equal(reference.SignerInfo.DigestAlgorithm.GetEncoded(Asn1Encodable.Der), ours.SignerInfo.DigestAlgorithm.GetEncoded(Asn1Encodable.Der));
        Assert.True(ours.Verify(signer.Certificate));
    }

    [Fact]
    public void KeyWithoutCrtParameters_SignsTheSameBytesAsThePlatformDoesForItsCrtKey()
    {
        // BouncyCastle's signer stands in for the platform only for an RSA key the platform cannot import.
        var crt = (RsaPrivateCrtKeyParameters)Pki.SignerEntry.PrivateKey;
        var plain = new RsaKeyParameters(true, crt.Modulus, crt.Exponent);
        var template = SignerTemplate.For(Pki.SignerEntry, SignatureDigest.Sha256, SignaturePadding.Pkcs1);
        var contentDigest = Digest(SignatureDigest.Sha256);

        Assert.Equal(template.DetachedSignedData(contentDigest, SigningTime, crt), template.DetachedSignedData(contentDigest, SigningTime, plain));
    }

    [Theory]
    [InlineData(2049, 12, 31, Der.UtcTime)]
    [InlineData(2050, 1, 1, Der.GeneralizedTime)]
    [InlineData(1950, 1, 1, Der.UtcTime)]
    [InlineData(1949, 12, 31, Der.GeneralizedTime)]
    public void SigningTime_IsUtcTimeFrom1950Through2049_GeneralizedTimeOtherwise(int year, int month, int day, byte tag)
    {
        // RFC 5652 §11.3; a reader must get the same instant back.
        var time = new DateTime(year, month, day, 23, 59, 58, DateTimeKind.Utc);

        var encoded = SignerTemplate.SigningTime(time);

        Assert.Equal(tag, encoded[0]);
        Assert.Equal(time, Time.GetInstance(Asn1Object.FromByteArray(encoded)).ToDateTime());
    }

    [Fact]
    public void Template_IsKeptPerLoadedEntry_AndAnotherEntryForTheSameNameGetsItsOwn()
    {
        // A reload makes new entries: the new one must never be served the old one's bytes (HotReloadTests proves it
        // through the runtime with a replaced certificate and key).
        var entry = Pki.SignerEntry;
        var again = SignerTemplate.For(entry, SignatureDigest.Sha256, SignaturePadding.Pkcs1);

        Assert.Same(again, SignerTemplate.For(entry, SignatureDigest.Sha256, SignaturePadding.Pkcs1));
        Assert.NotSame(again, SignerTemplate.For(entry, SignatureDigest.Sha512, SignaturePadding.Pkcs1));
        Assert.NotSame(again, SignerTemplate.For(Pki.SignerEntry, SignatureDigest.Sha256, SignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData("0401AA", "0402AA00", "040100", "0403000000", "0400")]
    [InlineData("3003020101", "3003020102", "30020500", "3100")]
    public void SetOf_OrdersAsDerDoes(params string[] elements)
    {
        // X.690 §11.6, against BouncyCastle's DerSet.
        var encodings = elements.Select(e => Convert.FromHexString(e)).ToArray();
        var vector = new Asn1EncodableVector(encodings.Select(e => Asn1Object.FromByteArray(e)).ToArray());

        Assert.Equal(Hex.Upper(new DerSet(vector).GetEncoded(Asn1Encodable.Der)), Hex.Upper(Der.SetOf(encodings)));
    }

    private static byte[] Digest(SignatureDigest digest)
        => digest == SignatureDigest.Sha256 ? SHA256.HashData(Content) : SHA512.HashData(Content);

    private static SignerInformation SignerOf(byte[] detached)
        => new CmsSignedData(new CmsProcessableByteArray(Content), detached).GetSignerInfos().GetSigners().Single();

    /// <summary>What the transform wrote before: BouncyCastle's generator with BouncyCastle's signer, the same attributes given.</summary>
    private static byte[] BouncyCastleDetached(PrivateKeyEntry signer, SignatureDigest digest, byte[] contentDigest, bool pss = false)
    {
        var attributes = new Asn1EncodableVector(
            SmimeAlgorithms.SmimeCapabilities(),
            new Org.BouncyCastle.Asn1.Cms.Attribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentDigest))),
            new Org.BouncyCastle.Asn1.Cms.Attribute(CmsAttributes.SigningTime, new DerSet(new Time(SigningTime))));
        var bits = digest == SignatureDigest.Sha256 ? "256" : "512";
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
            .Build(new Asn1SignatureFactory("SHA" + bits + "WITHRSA" + (pss ? "ANDMGF1" : string.Empty), signer.PrivateKey), signer.Certificate));
        generator.AddCertificates(CollectionUtilities.CreateStore(new[] { signer.Certificate }.Concat(signer.Chain).ToList()));
        return generator.Generate(new CmsProcessableByteArray(Array.Empty<byte>()), encapsulate: false).ContentInfo.GetEncoded(Asn1Encodable.Der);
    }
}
