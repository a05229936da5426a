using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Content;

public sealed class MessageContextTests
{
    private static MessageContext Parse(string eml, params string[] recipients) => Context(eml, "alice@contoso.com", recipients);

    private static MessageContext Parse(byte[] eml)
        => Context(eml, new MessageEnvelope("alice@contoso.com", new[] { new EnvelopeRecipientInput("bob@fabrikam.com") }));

    [Theory]
    [InlineData("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m", "MIAGCSqGSIb3DQEHA6CA", MessageTypes.Encrypted)]
    [InlineData("application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m", "MIIBAAYLKoZIhvcNAQkQAReggA==", MessageTypes.Encrypted)]
    [InlineData("application/x-pkcs7-mime; name=smime.p7m", "MIAGCSqGSIb3DQEHA6CA", MessageTypes.Encrypted)]
    [InlineData("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m", "MIAGCSqGSIb3DQEHAqCA", MessageTypes.Signed)]
    [InlineData("application/pkcs7-mime; name=smime.p7m", "MIAGCSqGSIb3DQEHAqCA", MessageTypes.Signed)] // S/MIME v2 opaque-signed: readable by anyone
    [InlineData("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m", "MIAGCSqGSIb3DQEHAqCA", MessageTypes.Signed)] // the label lies
    [InlineData("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m", "AAAA", MessageTypes.None)]
    [InlineData("application/pkcs7-mime; smime-type=compressed-data", "AAAA", MessageTypes.None)]
    [InlineData("text/calendar; method=REQUEST", "AAAA", MessageTypes.Calendaring)]
    [InlineData("text/plain", "AAAA", MessageTypes.None)]
    public void MessageTypes_FromTheContent_NotTheLabel(string contentType, string base64Body, MessageTypes expected)
    {
        var encoding = contentType.StartsWith("application", StringComparison.Ordinal) ? "Content-Transfer-Encoding: base64\r\n" : string.Empty;
        using var context = Parse(Eml(contentType: contentType, extraHeaders: encoding, body: base64Body));
        Assert.Equal(expected, context.Types);
    }

    [Fact]
    public void MessageTypes_MultipartEncrypted_Signed_Reports_Oof()
    {
        using (var pgp = Parse(Eml(contentType: "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b", body: "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA1234567890\r\n-----END PGP MESSAGE-----\r\n--b--")))
        {
            Assert.Equal(MessageTypes.Encrypted, pgp.Types);
        }

        using (var dsn = Parse(Eml(contentType: "multipart/report; report-type=delivery-status; boundary=r", body: "--r\r\nContent-Type: text/plain\r\n\r\nFailed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.0.0\r\n--r--")))
        {
            Assert.Equal(MessageTypes.EeaDeliveryReport, dsn.Types);
            Assert.False(dsn.IsEncrypted);
        }

        using (var mdn = Parse(Eml(contentType: "multipart/report; report-type=disposition-notification; boundary=r", body: "--r\r\nContent-Type: text/plain\r\n\r\nRead\r\n--r\r\nContent-Type: message/disposition-notification\r\n\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n--r--")))
        {
            Assert.Equal(MessageTypes.ReadReceipt, mdn.Types);
        }

        using (var invite = Parse(Eml(contentType: "multipart/alternative; boundary=a", body: "--a\r\nContent-Type: text/plain\r\n\r\nMeet\r\n--a\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\n--a--")))
        {
            Assert.Equal(MessageTypes.Calendaring, invite.Types);
        }

        using (var oof = Parse(Eml(extraHeaders: "Auto-Submitted: auto-replied\r\n")))
        {
            Assert.Equal(MessageTypes.OOF, oof.Types);
        }

        using (var generated = Parse(Eml(extraHeaders: "Auto-Submitted: auto-generated\r\n")))
        {
            Assert.Equal(MessageTypes.None, generated.Types);
        }
    }

    [Fact]
    public void Addresses_FromHeaderToCc_AndBccAreTheOtherEnvelopeRecipients()
    {
        using var context = Parse(Eml(from: "\"Alice\" <alice@contoso.com>", to: "Bob <bob@fabrikam.com>, team: carol@contoso.com;", extraHeaders: "Cc: dave@fabrikam.com\r\n"),
            "bob@fabrikam.com", "carol@contoso.com", "dave@fabrikam.com", "hidden@fabrikam.com");
        Assert.Equal("alice@contoso.com", context.FromAddress);
        Assert.Equal(new[] { "bob@fabrikam.com", "carol@contoso.com", "dave@fabrikam.com" }, context.ToCcAddresses.OrderBy(a => a));
        var bcc = context.Envelope.Recipients.Select(r => r.Address).Where(a => !context.ToCcAddresses.Contains(a));
        Assert.Equal(new[] { "hidden@fabrikam.com" }, bcc);
    }

    [Fact]
    public void BodyText_DecodesEveryBodyPart_ReadsHtmlAsText_AndSkipsAttachments()
    {
        var html = "<html><head><style>.secret { color: red }</style><script>var hidden = 'classified';</script></head>"
                   + "<body><p>Con<b>fid</b>ential&nbsp;report&amp;more</p><!-- internal note --><div>line</div>two</body></html>";
        var eml = Eml(contentType: "multipart/mixed; boundary=m", body:
            "--m\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n"
            + "--a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Grüße\r\n\r\n  aus   Köln")) + "\r\n"
            + "--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n--a--\r\n"
            + "--m\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nattachment words\r\n--m--");
        using var context = Parse(eml);
        Assert.Equal("Grüße\r\n\r\n  aus   Köln Confidential report&more line two", context.BodyText);
        Assert.Equal("a.txt", Assert.Single(context.Attachments).FileName);
    }

    [Fact]
    public void LegacyCharset_IsDecoded()
    {
        var koi8 = Encoding.GetEncoding("koi8-r");
        var header = Encoding.ASCII.GetBytes(Eml(contentType: "text/plain; charset=koi8-r", extraHeaders: "Content-Transfer-Encoding: 8bit\r\n", body: "BODY"));
        var eml = Replace(header, "BODY", koi8.GetBytes("Совершенно секретно"));
        using var context = Parse(eml);
        Assert.Equal("Совершенно секретно", context.BodyText.Trim());
    }

    [Fact]
    public void UnknownCharset_FallsBackToUtf8_ThenLatin1()
    {
        var utf8 = Parse(Replace(Encoding.ASCII.GetBytes(Eml(contentType: "text/plain; charset=x-no-such-charset", body: "BODY")), "BODY", Encoding.UTF8.GetBytes("vertraulich ü")));
        Assert.Equal("vertraulich ü", utf8.BodyText.Trim());
        var latin1 = Parse(Replace(Encoding.ASCII.GetBytes(Eml(contentType: "text/plain; charset=x-no-such-charset", body: "BODY")), "BODY", new byte[] { 0x76, 0xFC, 0x62 }));
        Assert.Equal("vüb", latin1.BodyText.Trim());
        utf8.Dispose();
        latin1.Dispose();
    }

    [Fact]
    public void RawEightBitHeaders_AreDecoded()
    {
        var eml = Replace(Encoding.ASCII.GetBytes(Eml(subject: "SUBJECT")), "SUBJECT", Encoding.UTF8.GetBytes("Vertraulich: Gehälter"));
        using var context = Parse(eml);
        Assert.Equal("Vertraulich: Gehälter", context.Subject);
    }

    [Fact]
    public void Importance_Sensitivity_Labels()
    {
        using var context = Parse(Eml(extraHeaders: "Importance: Low\r\nSensitivity: private\r\nmsip_labels: MSIP_Label_{11111111-2222-3333-4444-555555555555}_Enabled=true; MSIP_Label_{11111111-2222-3333-4444-555555555555}_Name=General; MSIP_Label_aaaaaaaa-2222-3333-4444-555555555555_Enabled=false\r\n"));
        Assert.Equal(MessageImportance.Low, context.Importance);
        Assert.Equal(MessageSensitivity.Private, context.Sensitivity);
        var label = Assert.Single(context.SensitivityLabels);
        Assert.True(label.Matches("general"));
        Assert.True(label.Matches("{11111111-2222-3333-4444-555555555555}"));
        Assert.True(label.Matches("11111111-2222-3333-4444-555555555555"));
        Assert.False(label.Matches("aaaaaaaa-2222-3333-4444-555555555555"));
    }

    [Fact]
    public void AttachmentContainsWords_ReadsOnlyTheScanLimit()
    {
        var text = new string('x', 3000) + " needle";
        var eml = Eml(contentType: "multipart/mixed; boundary=m", body: "--m\r\nContent-Type: text/plain\r\n\r\nbody\r\n--m\r\nContent-Type: text/csv; name=data.csv\r\nContent-Disposition: attachment; filename=data.csv\r\n\r\n" + text + "\r\n--m--");
        var rule = Rule("R", 0, "<AttachmentContainsWords><Value>needle</Value></AttachmentContainsWords>");
        Assert.Empty(Evaluate(LoadValid(Document(rule, settings: "<AttachmentScanLimit>2KB</AttachmentScanLimit>")), eml).Matches);
        Assert.Single(Evaluate(LoadValid(Document(rule, settings: "<AttachmentScanLimit>4KB</AttachmentScanLimit>")), eml).Matches);
    }

    [Fact]
    public void Attachments_NamesExtensionsSizes_AndAttachedMessages()
    {
        var payload = new byte[3000];
        var eml = Eml(contentType: "multipart/mixed; boundary=m", body:
            "--m\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
            + "--m\r\nContent-Type: application/pdf; name=\"Report.PDF\"\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks) + "\r\n"
            + "--m\r\nContent-Type: image/png; name=logo.png\r\nContent-Disposition: inline; filename=logo.png\r\n\r\nPNG\r\n"
            + "--m\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=fwd.eml\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--m--");
        using var context = Parse(eml);
        Assert.Equal(new[] { "Report.PDF", "logo.png", "fwd.eml" }, context.Attachments.Select(a => a.FileName));
        Assert.Equal(new[] { "pdf", "png", "eml" }, context.Attachments.Select(a => a.Extension));
        Assert.Equal(3000, context.Attachments[0].DecodedSize);
        Assert.True(context.Attachments[0].EncodedSize > 3000);
        Assert.False(context.Attachments[0].IsTextLike);
        Assert.Equal("body", context.BodyText.Trim());
    }

    // ------------------------------------------------------------------ Hostile messages: each ends quickly with a defined result.

    /// <summary>A policy that exercises every kind of condition, so every part of the message gets read.</summary>
    private static readonly Lazy<PolicySet> KitchenSink = new(() => LoadValid(Document(
        Rule("Words", 0, $"<SubjectOrBodyContainsWords>{Values("needle")}</SubjectOrBodyContainsWords>")
        + Rule("Patterns", 1, $"<SubjectOrBodyMatchesPatterns>{Values("ne+dle")}</SubjectOrBodyMatchesPatterns>")
        + Rule("Header", 2, $"<HeaderContainsWords Header=\"X-Long\">{Values("needle")}</HeaderContainsWords>")
        + Rule("Attachments", 3, $"<AttachmentContainsWords>{Values("needle")}</AttachmentContainsWords><AttachmentNameMatchesPatterns>{Values(".")}</AttachmentNameMatchesPatterns>")
        + Rule("Sizes", 4, "<AttachmentSizeOver>1</AttachmentSizeOver>")
        + Rule("Types", 5, $"<MessageTypeMatches>{Values("Encrypted", "Signed", "Calendaring", "OOF", "EeaDeliveryReport", "ReadReceipt")}</MessageTypeMatches>")
        + Rule("Misc", 6, $"<WithImportance>{Values("High")}</WithImportance><HasSensitivity>{Values("Private")}</HasSensitivity><HasClassification>{Values("5c1d6f2a-8b3e-4a7d-9c0f-1e2d3c4b5a69")}</HasClassification><HasSensitivityLabel>{Values("Secret")}</HasSensitivityLabel><AnyOfToCcHeader>{Values("bob@fabrikam.com")}</AnyOfToCcHeader><FromAddressMatchesPatterns>{Values("x")}</FromAddressMatchesPatterns>")
        + Rule("Envelope", 7, "<RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>"))));

    private static (PolicyDecision Decision, MessageContext Context) EvaluateHostile(byte[] eml)
    {
        var context = Parse(eml);
        var decision = PolicyEvaluator.Evaluate(KitchenSink.Value, context, Now);
        return (decision, context);
    }

    private static string[] Matched(PolicyDecision decision) => decision.Matches.Select(m => m.RuleName).ToArray();

    [Fact]
    public void BrokenMime_IsAResult()
    {
        var eml = Encoding.ASCII.GetBytes("From: a@contoso.com\r\nSubject: needle\r\nContent-Type: multipart/mixed\r\n\r\n--nowhere\r\nContent-Type: text/plain; charset=\"\r\n\r\n--unterminated");
        var (decision, context) = EvaluateHostile(eml);
        using (context)
        {
            Assert.False(context.ParseFailed);
            Assert.Contains("Words", Matched(decision));
            Assert.Contains("Envelope", Matched(decision));
        }
    }

    [Fact]
    public void GarbageBytes_AndNulBytes_AreAResult()
    {
        var garbage = new byte[100_000];
        new Random(42).NextBytes(garbage);
        var (decision, context) = EvaluateHostile(garbage);
        using (context)
        {
            Assert.Contains("Envelope", Matched(decision));
        }

        var withNul = Encoding.ASCII.GetBytes("Subject: nee\0dle needle\r\nX-Long: a\0b\r\nContent-Type: text/plain\r\n\r\nbody\0with\0nul needle\r\n");
        var (nulDecision, nulContext) = EvaluateHostile(withNul);
        using (nulContext)
        {
            Assert.Contains("Words", Matched(nulDecision));
            Assert.Equal("nee dle needle", nulContext.Subject);
        }
    }

    [Fact]
    public void TwoThousandLevelsOfNesting_StopAtTheDepthLimit()
    {
        var builder = new StringBuilder("From: a@contoso.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < 2000; i++)
        {
            builder.Append(CultureInvariant($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"));
        }

        builder.Append("Content-Type: text/plain\r\n\r\nneedle at the bottom\r\n");
        for (var i = 1999; i >= 0; i--)
        {
            builder.Append(CultureInvariant($"--b{i}--\r\n"));
        }

        var (decision, context) = EvaluateHostile(Encoding.ASCII.GetBytes(builder.ToString()));
        using (context)
        {
            Assert.False(context.ParseFailed);
            Assert.True(context.NestingLimitReached);

            // Below the limit is opaque, so a rule that needs the content cannot be answered: a rule error (its
            // RuleErrorAction decides; these rules only set a header, so they do not match), never a silent "no match".
            Assert.DoesNotContain("Words", Matched(decision));
            Assert.Contains(decision.Errors, e => e.RuleName == "Words" && e.Message.Contains("nested deeper than", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EightMegabyteHeaderLine_IsAResult()
    {
        var eml = "From: a@contoso.com\r\nSubject: x\r\nX-Long: " + new string('a', 8 * 1024 * 1024) + " needle\r\n\r\nbody\r\n";
        var (decision, context) = EvaluateHostile(Encoding.ASCII.GetBytes(eml));
        using (context)
        {
            // Header values are read up to MaxHeaderValueChars; the needle sits beyond it.
            Assert.DoesNotContain("Header", Matched(decision));
            Assert.Equal(MessageContextLimits.MaxHeaderValueChars, context.GetHeaderValues("X-Long")[0].Length);
        }
    }

    [Fact]
    public void EightMegabytesOfFoldedHeader_AreCutLikeOneLongLine()
    {
        // The same attack as one long line, spread over 100,000 continuation lines (RFC 5322 §2.2.3 folding):
        // the field is cut by its whole length, and the cut never forges the empty line that ends the header block.
        var folded = new StringBuilder("From: a@contoso.com\r\nX-Long: start");
        for (var i = 0; i < 100_000; i++)
        {
            folded.Append("\r\n ").Append('a', 80);
        }

        folded.Append("\r\nSubject: after the long field\r\n\r\nneedle in the body\r\n");
        var (decision, context) = EvaluateHostile(Encoding.ASCII.GetBytes(folded.ToString()));
        using (context)
        {
            Assert.Equal(MessageContextLimits.MaxHeaderValueChars, context.GetHeaderValues("X-Long")[0].Length);
            Assert.Equal("after the long field", context.Subject);
            Assert.Contains("Words", Matched(decision));
        }
    }

    [Fact]
    public void OrdinaryMessage_IsParsedFromTheOriginalStream()
    {
        var eml = Encoding.ASCII.GetBytes("From: a@contoso.com\r\nSubject: hello\r\nX-Other: value\r\n\r\nbody needle\r\n");
        var (decision, context) = EvaluateHostile(eml);
        using (context)
        {
            Assert.Equal("hello", context.Subject);
            Assert.Equal("value", context.GetHeaderValues("X-Other")[0]);
            Assert.Contains("Words", Matched(decision));
        }
    }

    [Fact]
    public void HundredThousandHeaders_AreAResult()
    {
        var builder = new StringBuilder("From: a@contoso.com\r\nSubject: needle\r\n");
        for (var i = 0; i < 100_000; i++)
        {
            builder.Append(CultureInvariant($"X-Filler-{i % 50}: value {i}\r\n"));
        }

        builder.Append("X-Long: needle\r\n\r\nbody\r\n");
        var (decision, context) = EvaluateHostile(Encoding.ASCII.GetBytes(builder.ToString()));
        using (context)
        {
            Assert.Contains("Words", Matched(decision));
            Assert.DoesNotContain("Header", Matched(decision)); // beyond MaxIndexedHeaders: documented
        }
    }

    [Fact]
    public void ThirtyMegabyteBody_IsScanned()
    {
        var body = new StringBuilder(31 * 1024 * 1024);
        var line = "The quick brown fox jumps over the lazy dog 0123456789 lorem ipsum dolor sit amet.\r\n";
        while (body.Length < 30 * 1024 * 1024)
        {
            body.Append(line);
        }

        body.Append("needle\r\n");
        var eml = "From: a@contoso.com\r\nSubject: big\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body;
        var (decision, context) = EvaluateHostile(Encoding.ASCII.GetBytes(eml));
        using (context)
        {
            Assert.Contains("Words", Matched(decision));
            Assert.False(context.BodyTextTruncated);
        }
    }

    [Fact]
    public void DisposedContext_DoesNotThrow()
    {
        var context = Parse(Eml(subject: "needle"));
        context.Dispose();
        Assert.Equal(string.Empty, context.Subject);
        Assert.True(context.ParseFailed);
    }

    [Theory]
    [InlineData("strictly\r\n  confidential", "strictly confidential", true)]
    [InlineData("strictly\0confidential", "strictly confidential", true)]
    [InlineData("strictlyconfidential", "strictly confidential", false)]
    [InlineData("strictly confidentiality", "strictly confidential", false)]
    [InlineData("notstrictly confidential", "strictly confidential", false)]
    [InlineData("see [SECURE] now", "[secure]", true)]
    [InlineData("x[secure]y", "[secure]", true)]
    [InlineData("secure", "[secure]", false)]
    [InlineData("CONFIDENTIAL", "confidential", true)]
    [InlineData("Überweisung vertraulich", "überweisung", true)]
    public void WholeWordSearch_PhrasesAndBoundaries(string text, string word, bool expected)
        => Assert.Equal(expected, WholeWordSearch.Contains(text, word));

    private static string CultureInvariant(FormattableString value) => FormattableString.Invariant(value);

    private static byte[] Replace(byte[] haystack, string marker, byte[] replacement)
    {
        var text = Encoding.ASCII.GetString(haystack);
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        return haystack.Take(index).Concat(replacement).Concat(haystack.Skip(index + marker.Length)).ToArray();
    }
}
