using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>Invariants over the generated corpus (decryption and verification with BouncyCastle in-process).</summary>
public sealed class SmimeRoundTripProperties
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public void DecryptOfEncrypt_GivesTheEntityByteForByte()
    {
        var gen = Gen.Select(MessageCorpus.Messages, Gen.OneOfConst(ContentEncryptionAlgorithm.Aes256Cbc, ContentEncryptionAlgorithm.Aes128Cbc),
            Gen.OneOfConst(KeyTransportAlgorithm.RsaPkcs1, KeyTransportAlgorithm.RsaOaepSha256));

        gen.Sample((message, algorithm, keyTransport) =>
        {
            var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, algorithm, keyTransport), message.Message);
            var decrypted = SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private);
            Assert.Equal(message.Entity, decrypted);
            Assert.True(output.All(b => b < 128), "the encrypted message is 7-bit");
        }, iter: 150);
    }

    [Fact]
    public void HeaderProtection_DecryptsToTheWholeMessage()
    {
        MessageCorpus.Messages.Sample(message =>
        {
            var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, headerProtection: true, subjectPlaceholder: "..."), message.Message);
            var expected = Encoding.ASCII.GetBytes("Content-Type: message/rfc822\r\n\r\n").Concat(message.Message).ToArray();
            Assert.Equal(expected, SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private));
            Assert.DoesNotContain("Subject: case", SmimeTestKit.HeaderText(output), StringComparison.Ordinal);
        }, iter: 40);
    }

    [Fact]
    public void ClearSignature_Verifies_OverSevenBitCanonicalContent_ThatKeepsTheText()
    {
        MessageCorpus.Messages.Sample(message =>
        {
            var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), message.Message);
            var (content, signature) = SmimeTestKit.SplitDetached(output);
            SmimeTestKit.VerifyDetached(content, signature);
            Assert.True(content.All(b => b < 128), "signed content must be 7-bit");
            Assert.True(IsCanonicalCrlf(content), "signed content must use CRLF line endings");

            // What a reader decodes from the signed part is what the sender wrote (line endings aside).
            using var original = MimeMessage.Load(new MemoryStream(message.Message));
            using var signedEntity = MimeEntity.Load(new MemoryStream(content));
            Assert.Equal(TextOf(original.Body!), TextOf(signedEntity));
        }, iter: 60);
    }

    [Fact]
    public void OpaqueSignature_EncapsulatesTheEntityByteForByte()
    {
        MessageCorpus.Messages.Sample(message =>
        {
            var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry, SignatureFormat.Opaque), message.Message);
            var parser = new Org.BouncyCastle.Cms.CmsSignedDataParser(SmimeTestKit.Pkcs7(output));
            using var content = new MemoryStream();
            parser.GetSignedContent().ContentStream.CopyTo(content);
            Assert.Equal(message.Entity, content.ToArray());
            var signer = parser.GetSignerInfos().GetSigners().Single();
            Assert.True(signer.Verify(parser.GetCertificates().EnumerateMatches(signer.SignerID).Single()));
        }, iter: 30);
    }

    [Fact]
    public void SignThenEncrypt_DecryptsToAnEntityWhoseSignatureVerifies()
    {
        MessageCorpus.Messages.Sample(message =>
        {
            var signed = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), message.Message);
            var encrypted = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }), signed);
            var decrypted = SmimeTestKit.Decrypt(encrypted, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private);
            var outer = Encoding.ASCII.GetBytes("From: x@contoso.example\r\n").Concat(decrypted).ToArray();
            var (content, signature) = SmimeTestKit.SplitDetached(outer);
            SmimeTestKit.VerifyDetached(content, signature);
        }, iter: 25);
    }

    private static bool IsCanonicalCrlf(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && (i == 0 || bytes[i - 1] != (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static string TextOf(MimeEntity entity)
    {
        var text = new StringBuilder();
        foreach (var part in entity is Multipart or MessagePart ? Enumerate(entity) : new[] { entity })
        {
            if (part is TextPart textPart)
            {
                // Line endings and trailing whitespace may change (RFC 3156 §5.4); the words may not.
                var lines = textPart.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd(' ', '\t'));
                text.Append(string.Join("\n", lines).TrimEnd('\n'));
            }
            else if (part is MimePart mimePart && mimePart.Content is not null)
            {
                using var decoded = new MemoryStream();
                mimePart.Content.DecodeTo(decoded);
                text.Append(Convert.ToBase64String(decoded.ToArray()));
            }
        }

        return text.ToString();
    }

    private static System.Collections.Generic.IEnumerable<MimeEntity> Enumerate(MimeEntity entity)
    {
        var iterator = new MimeIterator(new MimeMessage { Body = entity });
        while (iterator.MoveNext())
        {
            yield return iterator.Current;
        }
    }
}
