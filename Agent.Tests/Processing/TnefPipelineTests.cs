using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Support;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>
/// Outlook mail (Summary-TNEF, winmail.dat) submitted from a mailbox to a partner with a certificate, through the real
/// agent in the simulated transport: the partner decrypts (with openssl) MIME it can read, never application/ms-tnef.
/// With TnefHandling Fallback, or a TNEF that cannot be read, the rule's fallback chain decides instead.
/// </summary>
public sealed class TnefPipelineTests : IClassFixture<PipelineFixture>
{
    private const string Alice = "alice@contoso.example";

    private const string Rules = """
        <Rule Name="Fabrikam gateway" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        <Rule Name="Sign for Northwind" Priority="1">
          <Conditions><RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs></Conditions>
          <Actions><SignSmime Signer="Organization" OrganizationKey="contoso-signing" Format="Clear"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></SignSmime></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public TnefPipelineTests(PipelineFixture fixture) => _fixture = fixture;

    private static byte[] Sample(string name) => File.ReadAllBytes(RepoPaths.TestData("tnef", name));

    /// <summary>Every entity of the decrypted MIME, attached messages included.</summary>
    private static MimeEntity[] Leaves(string mime)
    {
        using var stream = new MemoryStream(Encoding.Latin1.GetBytes(mime));
        var all = new System.Collections.Generic.List<MimeEntity>();
        var stack = new System.Collections.Generic.Stack<MimeEntity>();
        stack.Push(MimeEntity.Load(stream));
        while (stack.Count > 0)
        {
            var entity = stack.Pop();
            all.Add(entity);
            if (entity is Multipart multipart)
            {
                foreach (var child in multipart)
                {
                    stack.Push(child);
                }
            }
            else if (entity is MessagePart { Message.Body: { } body })
            {
                stack.Push(body);
            }
        }

        return all.ToArray();
    }

    [Fact]
    public void ExchangeOnlineMessage_FromMailbox_ToPartner_IsEncryptedMime_NotWinmailDat()
    {
        var policy = _fixture.WritePolicy(Rules);

        using var run = _fixture.Run(policy, Sample("ukr.eml"), SimulatedOrigin.Mailbox, Alice, "dave@fabrikam.example");

        var copy = run.CopyFor("dave@fabrikam.example");
        Assert.Contains("application/pkcs7-mime", Encoding.Latin1.GetString(copy.ReadAllBytes()), StringComparison.OrdinalIgnoreCase);
        var inner = _fixture.OpenSslDecrypt(copy, "fabrikam-gateway");
        Assert.DoesNotContain("ms-tnef", inner, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("winmail.dat", inner, StringComparison.OrdinalIgnoreCase);
        var html = Leaves(inner).OfType<TextPart>().Single(p => p.IsHtml);
        Assert.Contains("RR Test 1", html.Text, StringComparison.Ordinal);
        Assert.True(run.Logged(EventIds.TnefConvertedToMime));
    }

    [Fact]
    public void TnefWithAttachments_FromMailbox_ToPartner_AttachmentsArriveAsMimeParts()
    {
        var policy = _fixture.WritePolicy(Rules);

        using var run = _fixture.Run(policy, Sample("rich-text.eml"), SimulatedOrigin.Mailbox, Alice, "dave@fabrikam.example");

        var inner = _fixture.OpenSslDecrypt(run.CopyFor("dave@fabrikam.example"), "fabrikam-gateway");
        Assert.DoesNotContain("ms-tnef", inner, StringComparison.OrdinalIgnoreCase);
        var leaves = Leaves(inner);
        // The JPEG is attached to the message and again to the embedded items it forwards.
        var kitten = leaves.OfType<MimePart>().First(p => p.FileName == "kitten-playing-with-a-christmas-tree.jpg");
        using var decoded = new MemoryStream();
        kitten.Content!.DecodeTo(decoded);
        Assert.True(decoded.Length > 1000);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, decoded.ToArray().Take(2));

        // Outlook items embedded in the TNEF become message/rfc822 attachments, not nested winmail.dat.
        Assert.Contains(leaves, e => e is MessagePart && e.ContentDisposition?.Disposition == ContentDisposition.Attachment);
    }

    [Fact]
    public void HandWrittenTnef_BodyAndAttachment_ArriveAsMime()
    {
        var policy = _fixture.WritePolicy(Rules);
        var eml = TnefSample.Message(TnefSample.Build("IPM.Note", "Only inside the TNEF: BLUEHERON.", attachmentName: "plan.txt", attachmentData: Encoding.ASCII.GetBytes("the plan")));

        using var run = _fixture.Run(policy, Encoding.ASCII.GetBytes(eml), SimulatedOrigin.Mailbox, Alice, "dave@fabrikam.example");

        var inner = _fixture.OpenSslDecrypt(run.CopyFor("dave@fabrikam.example"), "fabrikam-gateway");
        var leaves = Leaves(inner);
        Assert.Contains(leaves.OfType<TextPart>(), p => p.IsPlain && p.Text.Contains("BLUEHERON", StringComparison.Ordinal));
        var plan = leaves.OfType<MimePart>().Single(p => p.FileName == "plan.txt");
        Assert.DoesNotContain(leaves, e => e.ContentType.MimeType.Contains("tnef", StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(plan.Content);
    }

    [Fact]
    public void SignedOnlyCopy_IsConvertedToo()
    {
        var policy = _fixture.WritePolicy(Rules);

        using var run = _fixture.Run(policy, Sample("ukr.eml"), SimulatedOrigin.Mailbox, Alice, "ivy@northwind.example");

        var copy = Encoding.Latin1.GetString(run.CopyFor("ivy@northwind.example").ReadAllBytes());
        Assert.Contains("multipart/signed", copy, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ms-tnef", copy, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-MS-TNEF-Correlator", copy, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TnefHandlingFallback_TakesTheFallbackChain_NeverWrapsWinmailDat()
    {
        var policy = _fixture.WritePolicy(Rules, settings: "<TnefHandling>Fallback</TnefHandling>");

        using var run = _fixture.Run(policy, Sample("ukr.eml"), SimulatedOrigin.Mailbox, Alice, "dave@fabrikam.example", "ed@contoso.example");

        var ndr = Assert.Single(run.Result.NonDeliveries);
        Assert.Equal("dave@fabrikam.example", ndr.Recipient);
        Assert.Equal("5.7.1", ndr.EnhancedStatusCode);
        Assert.DoesNotContain(run.Result.Delivered, c => c.RecipientAddresses.Contains("dave@fabrikam.example"));
        Assert.True(run.Logged(EventIds.TnefProtectionFallback));

        // The internal recipient was never to be protected: the TNEF reaches Outlook untouched.
        Assert.Contains("ms-tnef", run.CopyFor("ed@contoso.example").ReadAllText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void UnreadableTnef_ToBeProtected_TakesTheFallbackChain()
    {
        var policy = _fixture.WritePolicy(Rules);
        var eml = TnefSample.Message(Encoding.ASCII.GetBytes("not TNEF, but labelled as winmail.dat"));

        using var run = _fixture.Run(policy, Encoding.ASCII.GetBytes(eml), SimulatedOrigin.Mailbox, Alice, "dave@fabrikam.example");

        Assert.Equal("dave@fabrikam.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.Empty(run.Result.Delivered);
        Assert.True(run.Logged(EventIds.ContentUnreadable));
        Assert.True(run.Logged(EventIds.TnefProtectionFallback));
    }

    [Theory]
    [InlineData(0x7FFFFFF0, false)]
    [InlineData(0x7FFFFFF0, true)]
    [InlineData(0x60000000, false)]
    [InlineData(0x60000000, true)]
    public void TnefClaimingGigabytes_ToBeProtected_IsMalformed_TakesTheFallbackChain(int claimedLength, bool inAttribute)
    {
        // Attack: a winmail.dat of a few hundred bytes whose attachment data (a PT_BINARY property, or the
        // attAttachData attribute itself) claims 1.5 or 2 GB, so that a reader sizes an array from it (an
        // OutOfMemoryException, which the content layer never catches, or a 1.5 GB allocation in the host). MimeKit
        // 4.18.2 happens to bound both and converts the cut attachment as if it were whole; the engine refuses the
        // lie itself before conversion: malformed TNEF, the rule's fallback, never plain text.
        var policy = _fixture.WritePolicy(Rules);
        var eml = TnefSample.Message(TnefSample.WithHugeBinaryLength(claimedLength, inAttribute));

        using var run = _fixture.Run(policy, Encoding.ASCII.GetBytes(eml), SimulatedOrigin.Mailbox, Alice, "dave@fabrikam.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.True(run.Logged(EventIds.ContentUnreadable), string.Join("\n", run.Log));
        Assert.Contains(run.Log, l => l.Contains("the TNEF data is malformed", StringComparison.Ordinal));
        Assert.True(run.Logged(EventIds.TnefProtectionFallback));
        Assert.Equal("dave@fabrikam.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.Empty(run.Result.Delivered);
    }
}
