using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Content;

/// <summary>
/// Rules read inside Summary-TNEF (winmail.dat), as Outlook and OWA mail reaches transport: body, attachments,
/// message class and sensitivity; real Exchange Online samples and hand-written TNEF. A TNEF part that cannot be read
/// is a rule error, never an exception and never a silent "no match".
/// </summary>
public sealed class TnefContentTests
{
    private static MessageContext Open(string eml) => Context(eml, "alice@contoso.com", "bob@fabrikam.com");

    private static MessageContext OpenFile(string name)
        => Context(File.ReadAllBytes(RepoPaths.TestData("tnef", name)), new MessageEnvelope("rrtest1@xink.io", new[] { new EnvelopeRecipientInput("bob@fabrikam.com") }, SubmissionOrigin.Mailbox));

    private static PolicyDecision EvaluateOne(string conditions, string eml, string attributes = "")
    {
        var policy = LoadValid(Document(Rule("R", 0, conditions, attributes: attributes)));
        using var context = Open(eml);
        return PolicyEvaluator.Evaluate(policy, context, Now);
    }

    [Fact]
    public void WordOnlyInsideTheTnefBody_MatchesSubjectOrBodyContainsWords()
    {
        var eml = TnefSample.Message(TnefSample.Build("IPM.Note", "The merger code name is BLUEHERON."), outerText: "Nothing to see outside.");

        Assert.True(Matched(EvaluateOne($"<SubjectOrBodyContainsWords>{Values("blueheron")}</SubjectOrBodyContainsWords>", eml)));
        Assert.False(Matched(EvaluateOne($"<SubjectOrBodyContainsWords>{Values("osprey")}</SubjectOrBodyContainsWords>", eml)));
    }

    [Fact]
    public void RealExchangeOnlineMessage_HtmlBodyInsideTnef_IsBodyText()
    {
        using var context = OpenFile("ukr.eml");

        Assert.True(context.ContainsTnef);
        Assert.Null(context.UnreadableContent);
        Assert.Contains("RR Test 1", context.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("<div", context.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain(context.Attachments, a => a.FileName == "winmail.dat");
    }

    [Fact]
    public void AttachmentsInsideTnef_AreTheAttachmentsRulesSee()
    {
        var eml = TnefSample.Message(TnefSample.Build("IPM.Note", "See attachment.", attachmentName: "Payroll-2025.xlsx", attachmentData: new byte[] { 0x50, 0x4B, 3, 4 }));

        Assert.True(Matched(EvaluateOne($"<AttachmentExtensionMatchesWords>{Values("xlsx")}</AttachmentExtensionMatchesWords>", eml)));
        Assert.True(Matched(EvaluateOne($"<AttachmentNameMatchesPatterns>{Values("^payroll")}</AttachmentNameMatchesPatterns>", eml)));
        Assert.False(Matched(EvaluateOne($"<AttachmentExtensionMatchesWords>{Values("dat")}</AttachmentExtensionMatchesWords>", eml)));

        using var context = OpenFile("rich-text.eml");
        Assert.Contains(context.Attachments, a => a.FileName == "kitten-playing-with-a-christmas-tree.jpg" && a.Extension == "jpg" && a.DecodedSize > 1000);
    }

    [Fact]
    public void MeetingRequestMessageClass_IsCalendaring()
    {
        var condition = $"<MessageTypeMatches>{Values("Calendaring")}</MessageTypeMatches>";

        Assert.True(Matched(EvaluateOne(condition, TnefSample.Message(TnefSample.Build("IPM.Schedule.Meeting.Request", "Board meeting")))));
        Assert.True(Matched(EvaluateOne(condition, TnefSample.Message(TnefSample.Build("IPM.Schedule.Meeting.Canceled", "Cancelled")))));
        Assert.False(Matched(EvaluateOne(condition, TnefSample.Message(TnefSample.Build("IPM.Note", "Not a meeting")))));
    }

    [Fact]
    public void SensitivityInsideTnef_IsTheMessageSensitivity()
    {
        var condition = $"<HasSensitivity>{Values("Private")}</HasSensitivity>";

        Assert.True(Matched(EvaluateOne(condition, TnefSample.Message(TnefSample.Build("IPM.Note", "Personal matters", sensitivity: 2)))));
        Assert.False(Matched(EvaluateOne(condition, TnefSample.Message(TnefSample.Build("IPM.Note", "Business", sensitivity: 0)))));
    }

    [Theory]
    [InlineData("Ignore", false)]
    [InlineData("Defer", true)]
    public void MalformedTnef_IsARuleError_ForContentConditions(string ruleErrorAction, bool defers)
    {
        var garbage = Encoding.ASCII.GetBytes("this is not TNEF at all, but it claims to be winmail.dat");
        var eml = TnefSample.Message(garbage, outerText: "secret");
        var policy = LoadValid(Document(
            Rule("Content", 0, $"<SubjectOrBodyContainsWords>{Values("merger")}</SubjectOrBodyContainsWords>", attributes: $"RuleErrorAction=\"{ruleErrorAction}\"")
            + Rule("Envelope", 1, $"<RecipientDomainIs>{Values("fabrikam.com")}</RecipientDomainIs>")));
        using var context = Open(eml);

        var decision = PolicyEvaluator.Evaluate(policy, context, Now);

        Assert.True(context.ContainsTnef);
        Assert.Contains("malformed", context.UnreadableContent, StringComparison.Ordinal);
        var error = Assert.Single(decision.Errors);
        Assert.Equal("Content", error.RuleName);
        Assert.Contains("SubjectOrBodyContainsWords: the content could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(defers, decision.DeferMessage);

        // Rules that do not read content are unaffected, and the unreadable winmail.dat stays visible as an attachment.
        Assert.Contains(decision.Matches, m => m.RuleName == "Envelope");
        Assert.Contains(context.Attachments, a => a.FileName == "winmail.dat");
    }

    [Fact]
    public void TruncatedTnef_IsUnreadable_NotAnException()
    {
        var whole = TnefSample.Build("IPM.Note", "A body long enough to be cut in the middle of its attribute.", attachmentName: "a.txt");
        var cut = whole.Take(whole.Length / 2).ToArray();
        using var context = Open(TnefSample.Message(cut));

        Assert.NotNull(context.UnreadableContent);
        _ = context.BodyText;
        _ = context.Types;
    }

    /// <summary>
    /// The two inputs afl reported as hangs (about 20 s each of MimeKit's TnefPart.ConvertToMessage skipping values in
    /// the recipient table): a row stops before its property count (a value runs past the attribute), and MimeKit's
    /// next row skips the rest unseen, among it a value count of billions that the bytes cannot hold. The row is
    /// checked before the converter runs; the TNEF is unreadable, a rule error as for any malformed TNEF.
    /// </summary>
    [Theory]
    [InlineData("slow-tnef-value-count-1.eml")]
    [InlineData("slow-tnef-value-count-2.eml")]
    public void FuzzInput_ValueCountThatTheBytesCannotHold_IsMalformedTnef(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "fuzz", "corpus", "rules", name));
        using var context = Context(bytes, new MessageEnvelope("alice@contoso.example", new[] { new EnvelopeRecipientInput("bob@fabrikam.example") }, SubmissionOrigin.Mailbox));

        Assert.True(context.ContainsTnef);
        Assert.Contains("the TNEF data is malformed (", context.UnreadableContent, StringComparison.Ordinal);
        Assert.Contains("a recipient row that ends before its count", context.UnreadableContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same attack made by hand at both places MimeKit walks property lists: the work is bounded by the bytes
    /// (a count of int.MaxValue in 12 bytes is refused), while a count the bytes can hold is read as before.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MultiValuedNullPropertyWithHugeCount_IsMalformedTnef_NotAHang(bool recipientTable)
    {
        using var hostile = Open(TnefSample.Message(TnefSample.WithNullValues(int.MaxValue, recipientTable)));
        using var plausible = Open(TnefSample.Message(TnefSample.WithNullValues(2, recipientTable)));

        Assert.Contains($"a property of {int.MaxValue} values past what its attribute holds", hostile.UnreadableContent, StringComparison.Ordinal);
        Assert.Null(plausible.UnreadableContent);
        Assert.True(plausible.ContainsTnef);
    }
}
