using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Smime.Gcm;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Support.SmimeTestMessages;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

[Collection(InboundPkiGroup.Name)]
public sealed class NestedLayerTests
{
    private static readonly InboundSmimeOptions DecryptAndVerify = new()
    {
        Decrypt = new DecryptSmimeAction(),
        Verify = new VerifySmimeAction(),
    };

    private readonly InboundTestPki _pki;

    public NestedLayerTests(InboundTestPki pki) => _pki = pki;

    [Theory]
    [InlineData("aes256")]
    [InlineData("aes-256-gcm")]
    public void SignedThenEncrypted_IsDecrypted_AndTheInnerSignatureStaysVerifiable(string cipher)
    {
        var signed = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key");
        var message = OpenSslEncrypt(_pki, signed, cipher, false, "gateway.crt");

        var run = Transform(message, DecryptAndVerify, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal(new[] { "enveloped-data " + (cipher == "aes256" ? "aes-256-cbc" : "aes-256-gcm"), "multipart/signed" },
            run.Result.Layers.Select(l => l.Replace("authEnveloped-data", "enveloped-data", StringComparison.Ordinal)));
        Assert.StartsWith("multipart/signed", run.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(Body(signed), run.Body);

        // The delivered multipart/signed is the one the sender signed: openssl verifies it.
        var name = "nested-" + Guid.NewGuid().ToString("N");
        _pki.Write(name + ".eml", run.Output);
        OpenSsl(_pki, "cms", "-verify", "-inform", "SMIME", "-in", name + ".eml", "-CAfile", "root.crt", "-out", name + ".out");
        Assert.Equal(Entity(), _pki.Read(name + ".out"));
    }

    [Fact]
    public void EncryptedThenSigned_VerifiesTheOuterSignature_AndDeliversThePlaintext()
    {
        var encrypted = OpenSslEncrypt(_pki, Entity(), "aes-128-gcm", false, "gateway.crt");
        var message = OpenSslSign(_pki, encrypted, "signer.crt", "signer.key");

        var run = Transform(message, DecryptAndVerify, _pki.Directory());

        Assert.Equal(new[] { "multipart/signed", "authEnveloped-data aes-128-gcm" }, run.Result.Layers);
        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal(Body(Entity()), run.Body);
        Assert.Equal("text/plain; charset=utf-8", run.Header("Content-Type"));
    }

    [Fact]
    public void TripleWrapped_IsPeeledCompletely()
    {
        var inner = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key", opaque: true);
        var encrypted = OpenSslEncrypt(_pki, inner, "aes256", true, "gateway.crt");
        var message = OpenSslSign(_pki, encrypted, "signer.crt", "signer.key");

        var run = Transform(message, DecryptAndVerify, _pki.Directory());

        Assert.Equal(new[] { "multipart/signed", "enveloped-data aes-256-cbc", "signed-data" }, run.Result.Layers);
        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal(Body(inner), run.Body);
    }

    [Fact]
    public void InvalidInnerSignature_MakesTheWholeVerdictInvalid()
    {
        var tamperedInner = ReplaceText(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key"), "secret plan", "public plan");
        var message = OpenSslSign(_pki, OpenSslEncrypt(_pki, tamperedInner, "aes256", false, "gateway.crt"), "signer.crt", "signer.key");

        var run = Transform(message, DecryptAndVerify, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.BadSignature, run.Result.SignatureProblem);

        // AES-CBC content whose inner signature fails is unauthenticated: attached, not displayed (EFAIL).
        Assert.Equal(DecryptionOutcome.DecryptedAttachment, run.Result.Decryption);
    }

    [Fact]
    public void MoreLayersThanTheLimit_PassUnchanged_AsAFailure()
    {
        var inner = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key");
        var message = OpenSslSign(_pki, OpenSslEncrypt(_pki, inner, "aes256", false, "gateway.crt"), "signer.crt", "signer.key");
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction(), Verify = new VerifySmimeAction(), MaxNestingDepth = 2 };

        var run = Transform(message, options, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Failed, run.Result.Decryption);
        Assert.Equal(SignatureProblem.NestingTooDeep, run.Result.SignatureProblem);
        Assert.Equal(Body(message), run.Body);
        Assert.True(run.Log.Has(EventIds.SmimeNestingTooDeep));
        Assert.Equal(3, Transform(message, DecryptAndVerify, _pki.Directory()).Result.Layers.Count);
    }

    [Fact]
    public void AThousandNestedEncryptedLayers_PassUnchanged_InBoundedTimeAndMemory()
    {
        // Binary transfer encoding keeps 1,000 layers linear in size (base64 would grow by 4/3 per layer).
        var layer = Entity();
        for (var i = 0; i < 1000; i++)
        {
            var cms = AuthEnvelopedDataInteropTests.Encrypt(layer, ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaPkcs1, _pki.Gateway.Certificate);
            layer = Encoding.ASCII.GetBytes("Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Concat(cms).ToArray();
        }

        var message = Encoding.ASCII.GetBytes("From: bob@fabrikam.example\r\nMIME-Version: 1.0\r\n").Concat(layer).ToArray();
        AssertBounded(message, DecryptAndVerify, run =>
        {
            Assert.Equal(DecryptionOutcome.Failed, run.Result.Decryption);
            Assert.Equal(DecryptAndVerify.MaxNestingDepth, run.Result.Layers.Count);
        });

        var defer = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction { OnFailure = InboundFailureAction.Defer } };
        var transform = new InboundSmimeTransform(defer, _pki.Directory(), new CollectingAgentLog());
        Assert.Throws<MessageTransformException>(() => transform.Apply(new MemoryStream(message), new MemoryStream(), default));
    }

    [Fact]
    public void AThousandNestedSignedLayers_PassUnchanged_InBoundedTimeAndMemory()
    {
        var layer = Entity();
        for (var i = 0; i < 1000; i++)
        {
            var boundary = "b" + i;
            layer = Encoding.ASCII.GetBytes($"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n")
                .Concat(layer)
                .Concat(Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n--{boundary}--\r\n"))
                .ToArray();
        }

        var message = Encoding.ASCII.GetBytes("From: bob@fabrikam.example\r\nMIME-Version: 1.0\r\n").Concat(layer).ToArray();
        AssertBounded(message, DecryptAndVerify, run =>
        {
            Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
            Assert.Equal(SignatureProblem.NestingTooDeep, run.Result.SignatureProblem);
            Assert.Equal(DecryptionOutcome.Failed, run.Result.Decryption);
        });
    }

    private void AssertBounded(byte[] message, InboundSmimeOptions options, Action<Run> check)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var run = Transform(message, options, _pki.Directory());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        check(run);
        Assert.Equal(Body(message), run.Body);
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }
}
