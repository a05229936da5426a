using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Support.SmimeTestMessages;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

[Collection(InboundPkiGroup.Name)]
public sealed class DecryptionTests
{
    // These tests are about decryption itself (algorithms, key transport, temporary files): unsigned CBC content is
    // delivered as it is here; what UnsignedCbcContent does is proven in Security/EfailCbcGadgetTests.
    private static readonly InboundSmimeOptions DecryptOnly = new() { Decrypt = new DecryptSmimeAction { RuleName = "inbound-decrypt", UnsignedCbcContent = UnsignedCbcContent.Deliver } };

    private readonly InboundTestPki _pki;

    public DecryptionTests(InboundTestPki pki) => _pki = pki;

    [Theory]
    [InlineData("aes128", false, "aes-128-cbc")]
    [InlineData("aes256", false, "aes-256-cbc")]
    [InlineData("aes128", true, "aes-128-cbc")]
    [InlineData("aes256", true, "aes-256-cbc")]
    [InlineData("aes-128-gcm", false, "aes-128-gcm")]
    [InlineData("aes-256-gcm", false, "aes-256-gcm")]
    [InlineData("aes-128-gcm", true, "aes-128-gcm")]
    [InlineData("aes-256-gcm", true, "aes-256-gcm")]
    [InlineData("des3", false, "des-ede3-cbc")]
    public void Transform_DecryptsWhatOpenSslEncrypts_AndDeliversTheEntityByteForByte(string cipher, bool oaep, string expectedAlgorithm)
    {
        var entity = Entity();
        var message = OpenSslEncrypt(_pki, entity, cipher, oaep, "gateway.crt");

        var run = Transform(message, DecryptOnly, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal(expectedAlgorithm, run.Result.ContentEncryption);
        Assert.Equal("Gateway", run.Result.DecryptionKeyName);
        Assert.True(run.Result.BodyReplaced);
        Assert.Equal("decrypted", run.Header(AgentHeaders.Decryption));

        // The delivered message is the decrypted entity under the outer header fields: the entity's Content-* fields
        // and its body, byte for byte; the outer routing fields stay; the S/MIME Content-* fields are gone.
        Assert.Equal(Body(entity), run.Body);
        Assert.Equal("text/plain; charset=utf-8", run.Header("Content-Type"));
        Assert.Equal("7bit", run.Header("Content-Transfer-Encoding"));
        Assert.Null(run.Header("Content-Disposition"));
        Assert.Equal(InboundTestPki.SenderAddress, run.Header("From"));
        Assert.Equal("Quarterly figures", run.Header("Subject"));
        Assert.Equal(1, HeaderCount(run.Output, "MIME-Version"));
        Assert.True(run.Log.Has(EventIds.SmimeDecrypted));

        // The same plaintext openssl itself gets.
        var name = "cmp-" + Guid.NewGuid().ToString("N");
        _pki.Write(name + ".eml", message);
        OpenSsl(_pki, "cms", "-decrypt", "-binary", "-inform", "SMIME", "-in", name + ".eml", "-recip", "gateway.crt", "-inkey", "gateway.key", "-out", name + ".out");
        Assert.Equal(_pki.Read(name + ".out"), entity);
    }

    [Fact]
    public void Transform_DecryptsWithTheSecondKey_WhenSeveralRecipientsAndKeysAreConfigured()
    {
        var entity = Entity();
        var message = OpenSslEncrypt(_pki, entity, "aes256", false, "other.crt", "gateway.crt");
        var unrelated = new PrivateKeyEntry("Unrelated", _pki.Signer.Certificate, _pki.Signer.KeyPair.Private, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());

        var run = Transform(message, DecryptOnly, _pki.Directory(unrelated, _pki.GatewayKey));

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal("Gateway", run.Result.DecryptionKeyName);
        Assert.Equal(Body(entity), run.Body);
    }

    [Fact]
    public void Transform_TriesEachMatchingKey_WhenTheFirstIsWrong()
    {
        // Two entries name the gateway certificate; the first holds the wrong private key.
        var entity = Entity();
        var message = OpenSslEncrypt(_pki, entity, "aes-256-gcm", false, "gateway.crt");
        var wrong = new PrivateKeyEntry("Stale", _pki.Gateway.Certificate, _pki.Other.KeyPair.Private, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());

        var run = Transform(message, DecryptOnly, _pki.Directory(wrong, _pki.GatewayKey));

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal("Gateway", run.Result.DecryptionKeyName);
    }

    [Theory]
    [InlineData("aes256")]
    [InlineData("aes-256-gcm")]
    public void DeliverCiphertext_ChecksDecryptability_AndDeliversTheOriginalBytes(string cipher)
    {
        var message = OpenSslEncrypt(_pki, Entity(), cipher, false, "gateway.crt");
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction { Deliver = DecryptedDelivery.Ciphertext } };

        var run = Transform(message, options, _pki.Directory());

        Assert.Equal(DecryptionOutcome.KeptCiphertext, run.Result.Decryption);
        Assert.False(run.Result.BodyReplaced);
        Assert.Equal("kept-ciphertext", run.Header(AgentHeaders.Decryption));
        Assert.Equal(Body(message), run.Body);
        Assert.Contains("smime-type=", run.Header("Content-Type"), StringComparison.Ordinal);
        Assert.True(run.Log.Has(EventIds.SmimeKeptCiphertext));
    }

    [Theory]
    [InlineData("aes256")]
    [InlineData("aes-128-gcm")]
    public void MessageForSomeoneElse_PassesUnchanged_WithNotForUs(string cipher)
    {
        var message = OpenSslEncrypt(_pki, Entity(), cipher, false, "other.crt");

        var run = Transform(message, DecryptOnly, _pki.Directory());

        Assert.Equal(DecryptionOutcome.NotForUs, run.Result.Decryption);
        Assert.Equal("not-for-us", run.Header(AgentHeaders.Decryption));
        Assert.Equal(Body(message), run.Body);
        Assert.True(run.Log.Has(EventIds.SmimeNotForUs));
        Assert.False(run.Log.Has(EventIds.SmimeDecryptionFailed));
    }

    [Fact]
    public void WithoutDecryptSmime_EncryptedMailIsNotTouchedAndNoDecryptionHeaderIsStamped()
    {
        var message = OpenSslEncrypt(_pki, Entity(), "aes256", false, "gateway.crt");

        var run = Transform(message, new InboundSmimeOptions { Verify = new VerifySmimeAction() }, _pki.Directory());

        Assert.Null(run.Result.Decryption);
        Assert.Null(run.Header(AgentHeaders.Decryption));
        Assert.Equal("none", run.Header(AgentHeaders.Signature));
        Assert.Equal(Body(message), run.Body);
    }

    [Fact]
    public void PlainMail_GetsNoDecryptionHeader()
    {
        var message = Latin1.GetBytes("From: bob@fabrikam.example\r\nSubject: hi\r\n\r\nplain\r\n");

        var run = Transform(message, DecryptOnly, _pki.Directory());

        Assert.Equal(DecryptionOutcome.NotEncrypted, run.Result.Decryption);
        Assert.Equal(message, run.Output);
    }

    [Fact]
    public void Defer_ThrowsTheUniformError_AndWritesNothing()
    {
        var message = OpenSslEncrypt(_pki, Entity(), "aes256", false, "gateway.crt");
        var wrong = new PrivateKeyEntry("Stale", _pki.Gateway.Certificate, _pki.Other.KeyPair.Private, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction { OnFailure = InboundFailureAction.Defer } };
        var log = new CollectingAgentLog();
        var transform = new InboundSmimeTransform(options, _pki.Directory(wrong), log);
        using var destination = new MemoryStream();

        var error = Assert.Throws<MessageTransformException>(() => transform.Apply(new MemoryStream(message), destination, default));

        Assert.Equal(InboundSmimeHeaders.UniformDecryptionFailure, error.Message);
        Assert.Null(error.InnerException);
        Assert.Equal(0, destination.Length);
        Assert.True(transform.Result!.Deferred);
        Assert.Equal(DecryptionOutcome.Failed, transform.Result.Decryption);
        Assert.True(log.Has(EventIds.SmimeDecryptionFailed));
    }

    [Fact]
    public void HeaderProtectedMessage_IsPresentedAsTheTopLevelMessage()
    {
        // RFC 8551 §3.1: the whole message wrapped as message/rfc822; the outer Subject is a placeholder.
        var inner = Latin1.GetBytes(
            "Content-Type: message/rfc822\r\n\r\n" +
            "From: Bob <bob@fabrikam.example>\r\nTo: alice@contoso.example\r\nSubject: The real subject\r\n" +
            "Message-ID: <inner@fabrikam.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" +
            "Protected body.\r\n");
        var message = OpenSslEncrypt(_pki, inner, "aes-256-gcm", false, "gateway.crt");
        message = ReplaceText(message, "Subject: Quarterly figures", "Subject: Encrypted message\r\nReceived: from mx.fabrikam.example");

        var run = Transform(message, DecryptOnly, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal("The real subject", run.Header("Subject"));
        Assert.Equal(1, HeaderCount(run.Output, "Subject"));
        Assert.Equal("<inner@fabrikam.example>", run.Header("Message-ID"));
        Assert.Equal("from mx.fabrikam.example", run.Header("Received"));
        Assert.Equal("text/plain; charset=us-ascii", run.Header("Content-Type"));
        Assert.Equal(Latin1.GetBytes("Protected body.\r\n"), run.Body);
    }

    [Fact]
    public void TemporaryFiles_AreGoneAfterwards_OnSuccessAndFailure()
    {
        var folder = Path.Combine(_pki.Folder, "scratch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction { UnsignedCbcContent = UnsignedCbcContent.Deliver }, TemporaryFiles = new TemporaryFileFactory(folder) };
        var good = OpenSslEncrypt(_pki, Entity(), "aes256", false, "gateway.crt");
        var bad = MutateCms(good, der => der[..^40]);

        var ok = Transform(good, options, _pki.Directory());
        var failed = Transform(bad, options, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Decrypted, ok.Result.Decryption);
        Assert.Equal(DecryptionOutcome.Failed, failed.Result.Decryption);
        Assert.Empty(Directory.GetFiles(folder));
    }
}
