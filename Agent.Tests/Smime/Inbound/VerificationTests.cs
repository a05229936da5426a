using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Support.SmimeTestMessages;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

[Collection(InboundPkiGroup.Name)]
public sealed class VerificationTests
{
    private static readonly InboundSmimeOptions VerifyOnly = new() { Verify = new VerifySmimeAction { RuleName = "inbound-verify" } };

    private readonly InboundTestPki _pki;

    public VerificationTests(InboundTestPki pki) => _pki = pki;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void OpenSslSignatures_AreValid_AndTheSignedMessageKeepsItsBytes(bool pss, bool opaque)
    {
        var message = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key", pss, opaque);

        var run = Transform(message, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal(InboundTestPki.SenderAddress, run.Result.SignerAddress);
        Assert.Equal("valid; signer=" + InboundTestPki.SenderAddress, run.Header(AgentHeaders.Signature));
        Assert.Equal(Body(message), run.Body);
        Assert.Equal(_pki.Signer.Certificate, run.Result.SignerCertificate);
        Assert.True(run.Log.Has(EventIds.SignatureValid));

        // openssl still verifies what we deliver: stamping did not touch what was signed.
        var name = "stamped-" + Guid.NewGuid().ToString("N");
        _pki.Write(name + ".eml", run.Output);
        OpenSsl(_pki, "cms", "-verify", "-inform", "SMIME", "-in", name + ".eml", "-CAfile", "root.crt", "-out", name + ".out");
        Assert.Equal(Entity(), _pki.Read(name + ".out"));
    }

    [Fact]
    public void SelfSignedSigner_WithKeyCertSign_IsUntrusted()
    {
        // smime-notes §0 #4a: MimeKit's TemporarySecureMimeContext trusts exactly this certificate.
        var evil = _pki.IssueSigner("CN=Bob,O=Fabrikam", InboundTestPki.SenderAddress,
            KeyUsage.DigitalSignature | KeyUsage.KeyCertSign, selfSigned: true);

        var run = Transform(SignWith(evil), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Untrusted, run.Result.Signature);
        Assert.Equal(SignatureProblem.UntrustedChain, run.Result.SignatureProblem);
        Assert.Equal("untrusted; signer=" + InboundTestPki.SenderAddress + "; reason=untrusted-chain", run.Header(AgentHeaders.Signature));
        Assert.True(run.Log.Has(EventIds.SignatureUntrusted));
    }

    [Fact]
    public void SignerWithKeyEnciphermentOnly_IsInvalid()
    {
        var certificate = _pki.IssueSigner("CN=Bob,O=Fabrikam", InboundTestPki.SenderAddress, KeyUsage.KeyEncipherment);

        var run = Transform(SignWith(certificate), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.KeyUsage, run.Result.SignatureProblem);
        Assert.EndsWith("reason=key-usage", run.Header(AgentHeaders.Signature), StringComparison.Ordinal);
    }

    [Fact]
    public void SignerWithServerAuthOnlyEku_IsInvalid()
    {
        var certificate = _pki.IssueSigner("CN=Bob,O=Fabrikam", InboundTestPki.SenderAddress, extendedKeyUsages: new[] { KeyPurposeID.id_kp_serverAuth });

        var run = Transform(SignWith(certificate), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.ExtendedKeyUsage, run.Result.SignatureProblem);
    }

    [Fact]
    public void SignerWithAnyExtendedKeyUsage_IsAccepted()
    {
        var certificate = _pki.IssueSigner("CN=Bob,O=Fabrikam", InboundTestPki.SenderAddress, extendedKeyUsages: new[] { KeyPurposeID.AnyExtendedKeyUsage });

        var run = Transform(SignWith(certificate), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
    }

    [Fact]
    public void FromAddressNotInCertificate_IsInvalid()
    {
        var message = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key", from: "ceo@contoso.example");

        var run = Transform(message, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.AddressMismatch, run.Result.SignatureProblem);
        Assert.Equal("invalid; signer=" + InboundTestPki.SenderAddress + "; reason=address-mismatch", run.Header(AgentHeaders.Signature));
    }

    [Fact]
    public void SenderAddressInCertificate_IsNotValid_WhenFromIsSomeoneElse()
    {
        // RFC 8550 §3 would accept the Sender; the reader sees only the From as the author (issue 9 item 11).
        var message = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key", from: "team@fabrikam.example");
        message = ReplaceText(message, "From: team@fabrikam.example", "From: team@fabrikam.example\r\nSender: Bob <BOB@Fabrikam.Example>");

        var run = Transform(message, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.SignerIsSender, run.Result.SignatureProblem);
    }

    [Fact]
    public void AddressInSubjectEmailAttributeOnly_IsRecognised_CaseInsensitively()
    {
        var certificate = _pki.IssueSigner("CN=Bob,O=Fabrikam,E=BOB@FABRIKAM.EXAMPLE", email: null);

        var run = Transform(SignWith(certificate), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
    }

    [Fact]
    public void ExpiredSigner_WithBackDatedSigningTime_IsInvalid_JudgedAtReceipt()
    {
        // openssl cannot back-date signingTime, so BouncyCastle signs: the certificate was valid at the claimed
        // signing time, two years ago, but had expired by the time of receipt.
        var received = DateTime.UtcNow;
        var expired = _pki.IssueSigner("CN=Bob,O=Fabrikam", InboundTestPki.SenderAddress,
            notBefore: received.AddYears(-3), notAfter: received.AddYears(-1));
        var message = SignWith(expired, signingTime: received.AddYears(-2));

        var run = Transform(message, new InboundSmimeOptions { Verify = new VerifySmimeAction(), ReceivedUtc = received }, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.Expired, run.Result.SignatureProblem);
        Assert.Equal(received, _pki.Validator.LastValidationTime);
    }

    [Fact]
    public void TamperedContent_IsInvalid()
    {
        var message = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key");
        var tampered = ReplaceText(message, "secret plan", "public plan");

        var run = Transform(tampered, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.BadSignature, run.Result.SignatureProblem);
        Assert.True(run.Log.Has(EventIds.SignatureInvalid));
        Assert.Equal(Body(tampered), run.Body);
    }

    [Fact]
    public void TamperedOpaqueContent_IsInvalid()
    {
        var message = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key", opaque: true);
        var tampered = MutateCms(message, der =>
        {
            var text = Latin1.GetString(der);
            var index = text.IndexOf("secret plan", StringComparison.Ordinal);
            Assert.True(index > 0);
            der[index] ^= 0x20;
            return der;
        });

        var run = Transform(tampered, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.BadSignature, run.Result.SignatureProblem);
    }

    [Fact]
    public void Sha1Digest_IsInvalid()
    {
        var name = "sha1-" + Guid.NewGuid().ToString("N");
        _pki.Write(name + ".in", Entity());
        OpenSsl(_pki, "cms", "-sign", "-binary", "-in", name + ".in", "-signer", "signer.crt", "-inkey", "signer.key", "-certfile", "inter.crt",
            "-md", "sha1", "-outform", "SMIME", "-out", name + ".eml", "-from", InboundTestPki.SenderAddress);

        var run = Transform(_pki.Read(name + ".eml"), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.WeakAlgorithm, run.Result.SignatureProblem);
    }

    [Fact]
    public void SignerCertificateMissingFromMessage_IsUntrusted()
    {
        var name = "nocerts-" + Guid.NewGuid().ToString("N");
        _pki.Write(name + ".in", Entity());
        OpenSsl(_pki, "cms", "-sign", "-binary", "-nocerts", "-in", name + ".in", "-signer", "signer.crt", "-inkey", "signer.key",
            "-md", "sha256", "-outform", "SMIME", "-out", name + ".eml", "-from", InboundTestPki.SenderAddress);

        var run = Transform(_pki.Read(name + ".eml"), VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Untrusted, run.Result.Signature);
        Assert.Equal(SignatureProblem.NoSignerCertificate, run.Result.SignatureProblem);
    }

    [Fact]
    public void MessageStoredWithLfLineEndings_IsVerifiedInCanonicalCrLfForm()
    {
        // The signer hashed canonical CRLF text (RFC 8551 §3.1.1); the message was then stored with bare LF.
        var canonical = SignWith(_pki.Signer);
        var storedWithLf = Latin1.GetBytes(Latin1.GetString(canonical).Replace("\r\n", "\n", StringComparison.Ordinal));

        var run = Transform(storedWithLf, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal(Body(storedWithLf), run.Body);
    }

    [Fact]
    public void UnsignedMail_IsStampedNone()
    {
        var message = Latin1.GetBytes("From: bob@fabrikam.example\r\nSubject: hi\r\n\r\nplain\r\n");

        var run = Transform(message, VerifyOnly, _pki.Directory());

        Assert.Equal(SignatureStatus.None, run.Result.Signature);
        Assert.Equal("none", run.Header(AgentHeaders.Signature));
        Assert.Equal(Body(message), run.Body);
    }

    [Fact]
    public void SubjectTags_ArePrependedOnce_ByVerdict()
    {
        var options = new InboundSmimeOptions { Verify = new VerifySmimeAction { ValidSubjectTag = "[Signed]", InvalidSubjectTag = "[Signature NOT valid]" } };
        var valid = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key");
        var invalid = ReplaceText(valid, "secret plan", "public plan");
        var alreadyTagged = ReplaceText(valid, "Subject: Signed figures", "Subject: [Signed] Signed figures");

        Assert.Equal("[Signed] Signed figures", Transform(valid, options, _pki.Directory()).Header("Subject"));
        Assert.Equal("[Signature NOT valid] Signed figures", Transform(invalid, options, _pki.Directory()).Header("Subject"));
        Assert.Equal("[Signed] Signed figures", Transform(alreadyTagged, options, _pki.Directory()).Header("Subject"));
    }

    [Fact]
    public void NonAsciiSubjectTag_IsEncoded()
    {
        var options = new InboundSmimeOptions { Verify = new VerifySmimeAction { ValidSubjectTag = "[Signiert ✓]" } };

        var run = Transform(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key"), options, _pki.Directory());

        var subject = run.Header("Subject")!;
        Assert.Contains("=?utf-8?", subject, StringComparison.OrdinalIgnoreCase);
        Assert.True(subject.All(c => c < 128));
        Assert.Equal("[Signiert ✓] Signed figures", MimeKit.Utils.Rfc2047.DecodeText(Latin1.GetBytes(subject)));
        Assert.Equal(subject, Transform(run.Output, options, _pki.Directory()).Header("Subject"));
    }

    [Fact]
    public void ForgedVerdictHeaders_AreRemoved_BeforeOurOwnAreStamped()
    {
        var message = ReplaceText(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key", from: "ceo@contoso.example"),
            "To: ", "X-EEA-Signature: valid; signer=ceo@contoso.example\r\nx-eea-decryption: decrypted\r\nX-EEA-Policy:\r\n forged\r\nTo: ");

        var run = Transform(message, VerifyOnly, _pki.Directory());

        Assert.Equal(1, HeaderCount(run.Output, AgentHeaders.Signature));
        Assert.Equal(0, HeaderCount(run.Output, AgentHeaders.Decryption));
        Assert.DoesNotContain("forged", run.Text, StringComparison.Ordinal);
        Assert.StartsWith("invalid;", run.Header(AgentHeaders.Signature), StringComparison.Ordinal);
        Assert.Equal(3, run.Result.ForgedHeadersRemoved);
        Assert.True(run.Log.Has(EventIds.ForgedVerdictHeadersRemoved));
    }

    [Fact]
    public void SignerAddressThatCouldBreakTheHeader_IsLeftOut()
    {
        Assert.Equal("valid", InboundSmimeHeaders.FormatSignature(SignatureStatus.Valid, "bob@x.example\r\nX-EEA-Decryption: decrypted", SignatureProblem.None));
        Assert.Equal("valid", InboundSmimeHeaders.FormatSignature(SignatureStatus.Valid, "\"bob smith\"@x.example", SignatureProblem.None));
        Assert.Equal("valid; signer=bob@x.example", InboundSmimeHeaders.FormatSignature(SignatureStatus.Valid, "bob@x.example", SignatureProblem.None));
    }

    /// <summary>A multipart/signed message from Bob to Alice, signed by BouncyCastle with <paramref name="certificate"/>.</summary>
    private byte[] SignWith(IssuedCertificate certificate, DateTime? signingTime = null)
        => BuildMultipartSigned(Entity(), DetachedSignature(Entity(), certificate, _pki.Intermediate.Certificate, signingTime), InboundTestPki.SenderAddress);

    internal static byte[] DetachedSignature(byte[] content, IssuedCertificate certificate, X509Certificate intermediate, DateTime? signingTime = null)
    {
        var generator = new CmsSignedDataGenerator();
        var attributes = new Asn1EncodableVector();
        if (signingTime is { } time)
        {
            attributes.Add(new Org.BouncyCastle.Asn1.Cms.Attribute(CmsAttributes.SigningTime, new DerSet(new Org.BouncyCastle.Asn1.Cms.Time(time))));
        }

        generator.AddSigner(certificate.KeyPair.Private, certificate.Certificate, CmsSignedGenerator.DigestSha256, new Org.BouncyCastle.Asn1.Cms.AttributeTable(attributes), null);
        generator.AddCertificates(CollectionUtilities.CreateStore(new[] { certificate.Certificate, intermediate }));
        return generator.Generate(new CmsProcessableByteArray(content), false).GetEncoded();
    }

    internal static byte[] BuildMultipartSigned(byte[] entity, byte[] signature, string from)
    {
        var base64 = Convert.ToBase64String(signature, Base64FormattingOptions.InsertLineBreaks);
        return Latin1.GetBytes(
            $"From: {from}\r\nTo: {InboundTestPki.RecipientAddress}\r\nSubject: Signed figures\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"=-b1\"\r\n\r\n" +
            "This is an S/MIME signed message\r\n--=-b1\r\n")
            .Concat(entity)
            .Concat(Latin1.GetBytes("\r\n--=-b1\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                base64 + "\r\n--=-b1--\r\n"))
            .ToArray();
    }
}
