using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Support;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Smime;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>
/// Opaque signatures (signed-data, the content inside) as our own streaming writer emits them: openssl verifies every
/// digest and padding, the encapsulated entity is the body entity byte for byte whatever its size against the
/// octet-string chunks, the signed attributes are the ones BouncyCastle's stream generator wrote, and the agent's own
/// inbound path calls the result valid (and a tampered copy invalid).
/// </summary>
[Collection(InboundPkiGroup.Name)]
public sealed class OpaqueSignatureTests : IDisposable
{
    private const string OuterHeaders = "From: Bob <bob@fabrikam.example>\r\nTo: Alice <alice@contoso.example>\r\nSubject: Figures\r\nMIME-Version: 1.0\r\n";
    private const string TextFields = "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n";

    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly InboundSmimeOptions VerifyOnly = new() { Verify = new VerifySmimeAction { RuleName = "inbound-verify" } };
    private readonly InboundTestPki _inbound;
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-opaque-").FullName;

    public OpaqueSignatureTests(InboundTestPki inbound) => _inbound = inbound;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(SignatureDigest.Sha256, SignaturePadding.Pkcs1)]
    [InlineData(SignatureDigest.Sha256, SignaturePadding.Pss)]
    [InlineData(SignatureDigest.Sha512, SignaturePadding.Pkcs1)]
    [InlineData(SignatureDigest.Sha512, SignaturePadding.Pss)]
    public void EveryDigestAndPadding_VerifiesWithOpenSsl_AndCarriesThe8BitEntityAsItIs(SignatureDigest digest, SignaturePadding padding)
    {
        // SampleMessages.Mixed has an 8bit UTF-8 part: signed-data is base64 as a whole, so the entity is encapsulated unchanged.
        var output = Sign(SampleMessages.Mixed, digest, padding);

        Assert.Equal(SampleMessages.MixedEntity, OpenSslVerify(output));
        var printed = OpenSsl("cms", "-cmsout", "-print", "-inform", "SMIME", "-in", Save("print.eml", output)).StandardOutput;
        Assert.Contains(digest == SignatureDigest.Sha256 ? "sha256" : "sha512", printed, StringComparison.Ordinal);
        Assert.Contains(padding == SignaturePadding.Pss ? "rsassaPss" : "rsaEncryption", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void SevenBitEntity_VerifiesWithOpenSsl()
    {
        var entity = TextFields + "\r\nHello Alice,\r\nthe figures are final.\r\n";

        Assert.Equal(Encoding.ASCII.GetBytes(entity), OpenSslVerify(Sign(Encoding.ASCII.GetBytes(OuterHeaders + entity))));
    }

    [Fact]
    public void EmptyBody_VerifiesWithOpenSsl()
    {
        var entity = TextFields + "\r\n";

        Assert.Equal(Encoding.ASCII.GetBytes(entity), OpenSslVerify(Sign(Encoding.ASCII.GetBytes(OuterHeaders + entity))));
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    [InlineData(3, 0)]
    public void EntityAroundTheOctetChunkSize_VerifiesWithOpenSsl_ByteForByte(int chunks, int delta)
    {
        var prefix = Encoding.ASCII.GetBytes(TextFields + "\r\n");
        var entity = prefix.Concat(Lines(chunks * OctetChunkStream.ChunkSize + delta - prefix.Length)).ToArray();
        var message = Encoding.ASCII.GetBytes(OuterHeaders).Concat(entity).ToArray();

        var output = Sign(message);

        Assert.Equal(entity, OpenSslVerify(output));
        var parsed = new CmsSignedData(SmimeTestKit.Pkcs7(output));
        Assert.True(parsed.GetSignerInfos().GetSigners().Single().Verify(Pki.Signer.Certificate));
    }

    [Theory]
    [InlineData(SignatureDigest.Sha256)]
    [InlineData(SignatureDigest.Sha512)]
    public void Structure_IsStreamedBer_WithTheSignedAttributesBouncyCastleWrote(SignatureDigest digest)
    {
        var output = Sign(SampleMessages.Mixed, digest);
        var der = SmimeTestKit.Pkcs7(output);

        // Indefinite lengths (streamed): ContentInfo, then [0] around SignedData.
        Assert.Equal(new byte[] { 0x30, 0x80 }, der.Take(2).ToArray());
        var contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
        Assert.Equal(CmsObjectIdentifiers.SignedData, contentInfo.ContentType);
        var signedData = SignedData.GetInstance(contentInfo.Content);
        Assert.Equal(1, signedData.Version.IntValueExact);
        var digestOid = digest == SignatureDigest.Sha256 ? NistObjectIdentifiers.IdSha256 : NistObjectIdentifiers.IdSha512;
        Assert.Equal(digestOid, Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier.GetInstance(signedData.DigestAlgorithms.Single()).Algorithm);
        Assert.Equal(CmsObjectIdentifiers.Data, signedData.EncapContentInfo.ContentType);

        // The signer certificate and its chain (RFC 8550 §2.3), no CRLs.
        var certificates = signedData.Certificates.Cast<Asn1Encodable>().Select(c => new Org.BouncyCastle.X509.X509Certificate(X509CertificateStructure(c))).ToList();
        Assert.Contains(Pki.Signer.Certificate, certificates);
        Assert.Contains(Pki.Intermediate.Certificate, certificates);
        Assert.Null(signedData.CRLs);

        // The signed attributes of BouncyCastle's CmsSignedDataStreamGenerator with our SMIMECapabilities, as before.
        var signerInfo = SignerInfo.GetInstance(signedData.SignerInfos.Single());
        Assert.Equal(1, signerInfo.Version.IntValueExact);
        var attributes = new AttributeTable(signerInfo.SignedAttrs);
        Assert.Equal(
            new[] { CmsAttributes.ContentType, CmsAttributes.MessageDigest, CmsAttributes.SigningTime, SmimeAttributes.SmimeCapabilities, CmsAttributes.CmsAlgorithmProtect }
                .Select(o => o.Id).OrderBy(id => id, StringComparer.Ordinal),
            signerInfo.SignedAttrs.Cast<Asn1Encodable>().Select(a => Org.BouncyCastle.Asn1.Cms.Attribute.GetInstance(a).AttrType.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(CmsObjectIdentifiers.Data, DerObjectIdentifier.GetInstance(attributes[CmsAttributes.ContentType].AttrValues[0]));
        var expectedDigest = digest == SignatureDigest.Sha256 ? SHA256.HashData(SampleMessages.MixedEntity) : SHA512.HashData(SampleMessages.MixedEntity);
        Assert.Equal(expectedDigest, Asn1OctetString.GetInstance(attributes[CmsAttributes.MessageDigest].AttrValues[0]).GetOctets());
        var signingTime = Time.GetInstance(attributes[CmsAttributes.SigningTime].AttrValues[0]).ToDateTime();
        Assert.InRange(signingTime, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddHours(1));
        var capabilities = Asn1Sequence.GetInstance(attributes[SmimeAttributes.SmimeCapabilities].AttrValues[0])
            .Select(c => SmimeCapability.GetInstance(c).CapabilityID).ToList();
        Assert.Equal(new[] { NistObjectIdentifiers.IdAes256Cbc, NistObjectIdentifiers.IdAes128Cbc }, capabilities);
        Assert.Null(signerInfo.UnsignedAttrs);
    }

    [Fact]
    public void KeyWithoutCrtParameters_SignsWithBouncyCastlesRsa_AndVerifiesWithOpenSsl()
    {
        var crt = (RsaPrivateCrtKeyParameters)Pki.SignerEntry.PrivateKey;
        var signer = new PrivateKeyEntry(Pki.SignerEntry.Name, Pki.SignerEntry.Certificate, new RsaKeyParameters(true, crt.Modulus, crt.Exponent), Pki.SignerEntry.Chain);

        var output = SmimeTestKit.Apply(new SmimeSignTransform(signer, SignatureFormat.Opaque), SampleMessages.Mixed);

        Assert.Equal(SampleMessages.MixedEntity, OpenSslVerify(output));
    }

    [Fact]
    public void OurOpaqueSignature_IsValidOnTheAgentsInboundPath()
    {
        var output = SignAsInboundSender(SmimeTestMessages.Entity());

        var run = SmimeTestMessages.Transform(output, VerifyOnly, _inbound.Directory());

        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal(InboundTestPki.SenderAddress, run.Result.SignerAddress);
        Assert.True(run.Log.Has(EventIds.SignatureValid));
    }

    [Fact]
    public void TamperedContent_FailsWithOpenSsl_AndIsInvalidOnTheInboundPath()
    {
        var output = SignAsInboundSender(SmimeTestMessages.Entity());
        var pkcs7 = SmimeTestKit.Pkcs7(output);
        var index = SmimeTestKit.IndexOf(pkcs7, "secret plan"u8.ToArray());
        Assert.True(index > 0);
        pkcs7[index] ^= 0x20;
        var tampered = Encoding.ASCII.GetBytes(SmimeTestKit.HeaderText(output) + "\r\n" + Convert.ToBase64String(pkcs7, Base64FormattingOptions.InsertLineBreaks) + "\r\n");

        var verified = OpenSsl("cms", "-verify", "-inform", "SMIME", "-in", Save("tampered.eml", tampered), "-CAfile", Pki.PathOf("ca.crt"), "-out", "/dev/null");
        Assert.NotEqual(0, verified.ExitCode);
        var run = SmimeTestMessages.Transform(tampered, VerifyOnly, _inbound.Directory());
        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.BadSignature, run.Result.SignatureProblem);
    }

    private static byte[] Sign(byte[] message, SignatureDigest digest = SignatureDigest.Sha256, SignaturePadding padding = SignaturePadding.Pkcs1)
        => SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry, SignatureFormat.Opaque, digest, padding), message);

    /// <summary>Bob's opaque signature (the inbound PKI's signer) over <paramref name="entity"/>, from Bob to Alice.</summary>
    private byte[] SignAsInboundSender(byte[] entity)
    {
        var signer = new PrivateKeyEntry("bob", _inbound.Signer.Certificate, _inbound.Signer.KeyPair.Private, new[] { _inbound.Intermediate.Certificate });
        var message = Encoding.ASCII.GetBytes($"From: {InboundTestPki.SenderAddress}\r\nTo: {InboundTestPki.RecipientAddress}\r\nSubject: Figures\r\nMIME-Version: 1.0\r\n")
            .Concat(entity).ToArray();
        return SmimeTestKit.Apply(new SmimeSignTransform(signer, SignatureFormat.Opaque), message);
    }

    /// <summary>openssl cms -verify against the test CA; fails the test unless it verifies; returns the content.</summary>
    private byte[] OpenSslVerify(byte[] output)
    {
        var content = Path.Combine(_directory, "content-" + Guid.NewGuid().ToString("N"));
        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", Save("signed.eml", output),
            "-CAfile", Pki.PathOf("ca.crt"), "-out", content);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        return File.ReadAllBytes(content);
    }

    /// <summary><paramref name="length"/> bytes of CRLF-ended 7-bit lines (the last one possibly cut short).</summary>
    private static byte[] Lines(int length)
    {
        var line = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog 0123456789.\r\n");
        return Enumerable.Range(0, length).Select(i => line[i % line.Length]).ToArray();
    }

    private static Org.BouncyCastle.Asn1.X509.X509CertificateStructure X509CertificateStructure(Asn1Encodable certificate)
        => Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(certificate);

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private ExternalTool.Result OpenSsl(params string[] arguments) => ExternalTool.OpenSsl(_directory, arguments);
}
