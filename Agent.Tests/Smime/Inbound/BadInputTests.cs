using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Support.SmimeTestMessages;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

/// <summary>
/// Issue 5's bad input: each passes unchanged with an event (or is deferred, per policy) with the one uniform
/// error, never crashes, never delivers plaintext, in bounded time and memory.
/// </summary>
[Collection(InboundPkiGroup.Name)]
public sealed class BadInputTests
{
    private const string Marker = "The secret plan is in the attachment.";

    private readonly InboundTestPki _pki;

    public BadInputTests(InboundTestPki pki) => _pki = pki;

    private static readonly string[] CorruptionNames =
    {
        "truncated-cbc", "truncated-gcm", "corrupted-cbc-padding", "corrupted-gcm-ciphertext", "corrupted-gcm-tag",
        "wrong-key-cbc", "wrong-key-gcm", "broken-base64", "empty-body", "garbage-cms",
        "corrupted-key-pkcs1", "corrupted-key-oaep", "corrupted-key-gcm",
    };

    public static TheoryData<string> Corruptions => new(CorruptionNames);

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptMessage_PassesUnchanged_WithTheUniformFailure(string corruption)
    {
        var (message, directory) = Corrupt(corruption);
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction(), Verify = new VerifySmimeAction() };

        var run = Transform(message, options, directory);

        Assert.Equal(DecryptionOutcome.Failed, run.Result.Decryption);
        Assert.Equal("failed", run.Header(AgentHeaders.Decryption));
        Assert.Equal(Body(message), run.Body);
        Assert.False(Contains(run.Output, Marker));
        Assert.False(run.Result.BodyReplaced);

        // One uniform text: the same event message for every cause, naming none.
        var failure = Assert.Single(run.Log.MessagesOf(EventIds.SmimeDecryptionFailed));
        Assert.Contains(InboundSmimeHeaders.UniformDecryptionFailure, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("pad", failure, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mac", failure, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tag", failure, StringComparison.OrdinalIgnoreCase);
        Assert.All(run.Log.Entries.Where(e => e.Event.Level >= AgentEventLevel.Information), e => Assert.Null(e.Exception));
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptMessage_IsDeferred_WithTheUniformError_WhenThePolicySaysDefer(string corruption)
    {
        var (message, directory) = Corrupt(corruption);
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction { OnFailure = InboundFailureAction.Defer } };
        var transform = new InboundSmimeTransform(options, directory, new CollectingAgentLog());
        using var output = new MemoryStream();

        var error = Assert.Throws<MessageTransformException>(() => transform.Apply(new MemoryStream(message), output, default));

        Assert.Equal(InboundSmimeHeaders.UniformDecryptionFailure, error.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void UniformFailure_HeadersAreIdenticalAcrossCauses()
    {
        var options = new InboundSmimeOptions { Decrypt = new DecryptSmimeAction() };
        var stamps = CorruptionNames.Select(Corrupt).Select(x => Transform(x.Message, options, x.Directory))
            .Select(r => string.Join("|", r.Text.Split("\r\n").Where(l => l.StartsWith("X-EEA-", StringComparison.Ordinal))))
            .Distinct()
            .ToList();

        Assert.Equal("X-EEA-Decryption: failed", Assert.Single(stamps));
    }

    [Fact]
    public void HugeBase64_FailsFast_WithFlatMemory()
    {
        // 40 MB of base64 that decodes to zeros: no ContentInfo at all.
        var line = new string('A', 76) + "\r\n";
        var body = new StringBuilder(40 * 1024 * 1024);
        while (body.Length < 40 * 1024 * 1024)
        {
            body.Append(line);
        }

        var message = Encoding.ASCII.GetBytes(
            "From: bob@fabrikam.example\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\n" + body);
        var transform = new InboundSmimeTransform(new InboundSmimeOptions { Decrypt = new DecryptSmimeAction() }, _pki.Directory(), new CollectingAgentLog());
        using var source = new MemoryStream(message, writable: false);
        using var sink = new CountingStream();
        var before = GC.GetAllocatedBytesForCurrentThread();

        transform.Apply(source, sink, default);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(DecryptionOutcome.Failed, transform.Result!.Decryption);
        Assert.True(sink.Length > message.Length - 100, "the message passed through");
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated:N0} bytes for a {message.Length:N0}-byte message");
    }

    /// <summary>Counts what is written and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }

    [Fact]
    public void ForgedHugeAsn1Length_DoesNotAllocateIt()
    {
        // A ContentInfo whose RecipientInfos claim 2 GB.
        var der = new byte[]
        {
            0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03, 0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x00,
            0x31, 0x84, 0x7F, 0xFF, 0xFF, 0x00, 0x30, 0x84, 0x7F, 0xFF, 0xFE, 0x00,
        }.Concat(new byte[4096]).ToArray();
        var message = Encoding.ASCII.GetBytes(
            "From: bob@fabrikam.example\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\r\n");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var run = Transform(message, new InboundSmimeOptions { Decrypt = new DecryptSmimeAction() }, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Failed, run.Result.Decryption);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8L * 1024 * 1024);
    }

    [Theory]
    [InlineData("smime-type=foo-data")]
    [InlineData("smime-type=compressed-data")]
    [InlineData("smime-type=certs-only")]
    public void UnknownOrUnprocessedSmimeType_PassesUnchanged_WithAnEvent(string parameter)
    {
        var message = ReplaceText(OpenSslEncrypt(_pki, Entity(), "aes256", false, "other.crt"), "smime-type=enveloped-data", parameter);
        message = MutateCms(message, der => new byte[] { 0x04, 0x03, 0x01, 0x02, 0x03 }.Concat(der).ToArray());

        var run = Transform(message, new InboundSmimeOptions { Decrypt = new DecryptSmimeAction(), Verify = new VerifySmimeAction() }, _pki.Directory());

        Assert.Equal(Body(message), run.Body);
        Assert.Equal(DecryptionOutcome.NotEncrypted, run.Result.Decryption);
        Assert.Equal(SignatureStatus.None, run.Result.Signature);
        Assert.True(run.Log.Has(EventIds.SmimeLayerNotProcessed));
    }

    [Fact]
    public void MissingSmimeType_IsSniffedFromTheCms()
    {
        var message = ReplaceText(OpenSslEncrypt(_pki, Entity(), "aes-256-gcm", false, "gateway.crt"), " smime-type=authEnveloped-data;", string.Empty);

        var run = Transform(message, new InboundSmimeOptions { Decrypt = new DecryptSmimeAction() }, _pki.Directory());

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal(Body(Entity()), run.Body);
    }

    [Fact]
    public void HugeHeaderBlock_IsAMessageTransformException()
    {
        var message = Encoding.ASCII.GetBytes("X-Filler: " + new string('x', (int)RawHeaderBlock.MaxBytes) + "\r\n\r\nbody\r\n");
        var transform = new InboundSmimeTransform(new InboundSmimeOptions { Verify = new VerifySmimeAction() }, _pki.Directory(), new CollectingAgentLog());

        Assert.Throws<MessageTransformException>(() => transform.Apply(new MemoryStream(message), new MemoryStream(), default));
    }

    [Fact]
    public void BrokenMultipartSigned_IsInvalid_NotACrash()
    {
        var signed = OpenSslSign(_pki, Entity(), "signer.crt", "signer.key");
        var withoutClose = Latin1.GetBytes(Latin1.GetString(signed)[..(Latin1.GetString(signed).Length / 2)]);

        var run = Transform(withoutClose, new InboundSmimeOptions { Verify = new VerifySmimeAction() }, _pki.Directory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(Body(withoutClose), run.Body);
    }

    private (byte[] Message, TestCertificateDirectory Directory) Corrupt(string corruption)
    {
        var cbc = OpenSslEncrypt(_pki, Entity(Marker), "aes256", false, "gateway.crt");
        var gcm = OpenSslEncrypt(_pki, Entity(Marker), "aes-256-gcm", false, "gateway.crt");
        var wrongKey = new ExchangeEncryptionAgent.Certificates.PrivateKeyEntry("Stale", _pki.Gateway.Certificate, _pki.Other.KeyPair.Private, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());
        return corruption switch
        {
            "truncated-cbc" => (MutateCms(cbc, der => der[..(der.Length / 2)]), _pki.Directory()),
            "truncated-gcm" => (MutateCms(gcm, der => der[..^20]), _pki.Directory()),

            // openssl's DER ends with the CBC ciphertext: flip the top bit of the padding byte through the previous block.
            "corrupted-cbc-padding" => (MutateCms(cbc, der => Flip(der, der.Length - 17, 0x80)), _pki.Directory()),

            // ... and with the 16-byte GCM tag after the ciphertext.
            "corrupted-gcm-ciphertext" => (MutateCms(gcm, der => Flip(der, der.Length - 16 - 2 - 3, 0x01)), _pki.Directory()),
            "corrupted-gcm-tag" => (MutateCms(gcm, der => Flip(der, der.Length - 1, 0x01)), _pki.Directory()),
            // The padding-oracle attack (Bleichenbacher, Manger): an altered RSA-encrypted content key must fail
            // exactly like a wrong key, whichever RSA implementation unwraps it and whatever it throws.
            "corrupted-key-pkcs1" => (MutateCms(cbc, CorruptEncryptedKey), _pki.Directory()),
            "corrupted-key-oaep" => (MutateCms(OpenSslEncrypt(_pki, Entity(Marker), "aes256", true, "gateway.crt"), CorruptEncryptedKey), _pki.Directory()),
            "corrupted-key-gcm" => (MutateCms(gcm, CorruptEncryptedKey), _pki.Directory()),
            "wrong-key-cbc" => (cbc, _pki.Directory(wrongKey)),
            "wrong-key-gcm" => (gcm, _pki.Directory(wrongKey)),
            "broken-base64" => (InsertIntoBody(cbc, "!A*B%"), _pki.Directory()),
            "empty-body" => (cbc[..(HeaderEnd(cbc) + 2)], _pki.Directory()),
            "garbage-cms" => (MutateCms(cbc, der => Enumerable.Range(0, 600).Select(i => (byte)(i * 7)).ToArray()), _pki.Directory()),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
    }

    private static byte[] Flip(byte[] der, int index, byte mask)
    {
        der[index] ^= mask;
        return der;
    }

    /// <summary>Flips one bit in the middle of the first RecipientInfo's encryptedKey (the RSA ciphertext).</summary>
    private static byte[] CorruptEncryptedKey(byte[] der)
    {
        var contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
        var recipientInfos = CmsObjectIdentifiers.AuthEnvelopedData.Equals(contentInfo.ContentType)
            ? AuthEnvelopedData.GetInstance(contentInfo.Content).RecipientInfos
            : EnvelopedData.GetInstance(contentInfo.Content).RecipientInfos;
        var encryptedKey = KeyTransRecipientInfo.GetInstance(RecipientInfo.GetInstance(recipientInfos[0]).Info).EncryptedKey.GetOctets();
        var at = der.AsSpan().IndexOf(encryptedKey);
        Assert.True(at > 0);
        return Flip(der, at + (encryptedKey.Length / 2), 0x01);
    }

    private static byte[] InsertIntoBody(byte[] message, string junk)
    {
        var text = Latin1.GetString(message);
        var middle = HeaderEnd(message) + ((text.Length - HeaderEnd(message)) / 2);
        return Latin1.GetBytes(text[..middle] + junk + text[middle..]);
    }
}
