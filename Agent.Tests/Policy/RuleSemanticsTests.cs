using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tests.Tool;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>Conditions mean what Exchange's mail flow rule predicates of the same name mean (issue 14).</summary>
public sealed class RuleSemanticsTests
{
    private static readonly string CalendarRule = Document(Rule("Calendaring", 0, $"<MessageTypeMatches>{Values("Calendaring")}</MessageTypeMatches>"));

    private static byte[] Bytes(string eml) => Encoding.UTF8.GetBytes(eml);

    [Fact]
    public void AnAttachedIcsFile_AloneIsNotCalendaring()
    {
        var eml = Eml(contentType: "multipart/mixed; boundary=m", body:
            "--m\r\nContent-Type: text/plain\r\n\r\nThe holiday calendar is attached.\r\n"
            + "--m\r\nContent-Type: text/calendar; method=PUBLISH; name=holidays.ics\r\nContent-Disposition: attachment; filename=holidays.ics\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n--m--");
        var run = EeaTestRun.Run(CalendarRule, Bytes(eml));
        Assert.DoesNotContain("Calendaring", run.Types);
        Assert.Empty(run.MatchedRules);
    }

    [Fact]
    public void AnIcsAttachment_WithRequestMethod_IsStillAFile_NotAMeetingRequest()
    {
        var eml = Eml(contentType: "multipart/mixed; boundary=m", body:
            "--m\r\nContent-Type: text/plain\r\n\r\nForwarding the invite file.\r\n"
            + "--m\r\nContent-Type: text/calendar; method=REQUEST\r\nContent-Disposition: attachment; filename=invite.ics\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n--m--");
        Assert.Empty(EeaTestRun.Run(CalendarRule, Bytes(eml)).MatchedRules);
    }

    [Theory]
    [InlineData("REQUEST")]
    [InlineData("REPLY")]
    [InlineData("CANCEL")]
    public void AMeetingRequestOrResponse_IsCalendaring(string method)
    {
        var eml = Eml(contentType: "multipart/alternative; boundary=a", body:
            "--a\r\nContent-Type: text/plain\r\n\r\nBoard meeting\r\n"
            + $"--a\r\nContent-Type: text/calendar; charset=utf-8; method={method}\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:{method}\r\nEND:VCALENDAR\r\n--a--");
        var run = EeaTestRun.Run(CalendarRule, Bytes(eml));
        Assert.Contains("Calendaring", run.Types);
        Assert.Equal(new[] { "Calendaring" }, run.MatchedRules);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\r\n", MessageTypes.OOF)]
    [InlineData("X-MS-Exchange-Inbox-Rules-Loop: bob@contoso.com\r\n", MessageTypes.AutoForward)]
    [InlineData("Auto-Submitted: auto-forwarded\r\n", MessageTypes.AutoForward)]
    [InlineData("Content-Class: voice-uc\r\n", MessageTypes.Voicemail)]
    [InlineData("Content-Class: rpmsg.message\r\n", MessageTypes.PermissionControlled)]
    [InlineData("X-MS-Exchange-Organization-Approval-Allowed-Decision-Makers: mod@contoso.com\r\n", MessageTypes.ApprovalRequest)]
    [InlineData("Auto-Submitted: auto-generated\r\n", MessageTypes.None)]
    public void ExchangeMessageTypes_AreReadFromTheHeadersExchangeWrites(string header, MessageTypes expected)
    {
        using var context = Context(Eml(extraHeaders: header));
        Assert.Equal(expected, context.Types);
        var policy = LoadValid(Document(Rule("R", 0, $"<MessageTypeMatches>{Values(expected == MessageTypes.None ? "OOF" : expected.ToString())}</MessageTypeMatches>")));
        Assert.Equal(expected != MessageTypes.None, Matched(Evaluate(policy, Eml(extraHeaders: header))));
    }

    [Fact]
    public void AnIrmMessage_WithItsRpmsgAttachment_IsPermissionControlled()
    {
        var eml = Eml(contentType: "multipart/mixed; boundary=m", body:
            "--m\r\nContent-Type: text/plain\r\n\r\nProtected\r\n"
            + "--m\r\nContent-Type: application/x-microsoft-rpmsg-message; name=message.rpmsg\r\nContent-Disposition: attachment; filename=message.rpmsg\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--m--");
        using var context = Context(eml);
        Assert.Equal(MessageTypes.PermissionControlled, context.Types);
    }

    [Theory]
    [InlineData("AutoReply")]
    [InlineData("DeliveryReport")]
    public void OurFormerNames_ThatLookLikeExchanges_AreRefusedAtLoad(string value)
    {
        var errors = LoadErrors(Document(Rule("R", 0, $"<MessageTypeMatches>{Values(value)}</MessageTypeMatches>")));
        Assert.Contains(errors, e => e.Contains(value, System.StringComparison.Ordinal));
    }

    [Fact]
    public void OurDeliveryReportAddition_CarriesTheEeaPrefix()
    {
        var eml = Eml(contentType: "multipart/report; report-type=delivery-status; boundary=r", body: "--r\r\nContent-Type: text/plain\r\n\r\nFailed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.0.0\r\n--r--");
        Assert.True(Matched(EvaluateRule($"<MessageTypeMatches>{Values("EeaDeliveryReport")}</MessageTypeMatches>", eml)));
    }

    private const string PartnerSettings = "<Partners><Partner Domain=\"fabrikam.com\"/><Partner Domain=\"*.adatum.com\"/></Partners>";

    [Theory]
    [InlineData("ExternalPartner", "bob@fabrikam.com", true)]
    [InlineData("ExternalPartner", "eve@eu.adatum.com", true)]
    [InlineData("ExternalPartner", "eve@adatum.com", false)]
    [InlineData("ExternalPartner", "mallory@fabrikam.com.evil.example", false)]
    [InlineData("ExternalPartner", "carol@contoso.com", false)]
    [InlineData("ExternalNonPartner", "mallory@fabrikam.com.evil.example", true)]
    [InlineData("ExternalNonPartner", "bob@fabrikam.com", false)]
    [InlineData("ExternalNonPartner", "carol@contoso.com", false)]
    [InlineData("NotInOrganization", "bob@fabrikam.com", true)]
    [InlineData("NotInOrganization", "mallory@example.org", true)]
    [InlineData("InOrganization", "carol@contoso.com", true)]
    public void SentToScope_PartnerOrNot_FollowsThePolicysPartnerDomains(string scope, string recipient, bool expected)
    {
        var policy = LoadValid(Document(Rule("R", 0, $"<SentToScope>{scope}</SentToScope>"), certificates: PartnerSettings));
        var decision = Evaluate(policy, Eml(to: recipient), "alice@contoso.com", recipient);
        Assert.Equal(expected, Matched(decision));
    }

    [Theory]
    [InlineData("ExternalPartner", "bob@fabrikam.com", true)]
    [InlineData("ExternalNonPartner", "bob@fabrikam.com", false)]
    [InlineData("ExternalNonPartner", "mallory@example.org", true)]
    [InlineData("ExternalPartner", "alice@contoso.com", false)]
    public void FromScope_PartnerOrNot_FollowsThePolicysPartnerDomains(string scope, string sender, bool expected)
    {
        var policy = LoadValid(Document(Rule("R", 0, $"<FromScope>{scope}</FromScope>"), certificates: PartnerSettings));
        var decision = Evaluate(policy, Eml(from: sender, to: "carol@contoso.com"), sender, "carol@contoso.com");
        Assert.Equal(expected, Matched(decision));
    }

    // The header says the CEO, the envelope says a bulk mailer: which one a sender condition reads is the rule's choice.
    private static readonly byte[] SpoofLike = Bytes(Eml(from: "ceo@contoso.com", to: "bob@fabrikam.com"));

    [Theory]
    [InlineData("", "ceo@contoso.com", true)]
    [InlineData("SenderAddressLocation=\"Header\"", "ceo@contoso.com", true)]
    [InlineData("SenderAddressLocation=\"Envelope\"", "ceo@contoso.com", false)]
    [InlineData("SenderAddressLocation=\"Envelope\"", "bounces@mailer.example", true)]
    [InlineData("SenderAddressLocation=\"Header\"", "bounces@mailer.example", false)]
    [InlineData("SenderAddressLocation=\"HeaderOrEnvelope\"", "ceo@contoso.com", true)]
    [InlineData("SenderAddressLocation=\"HeaderOrEnvelope\"", "bounces@mailer.example", true)]
    public void SenderAddressLocation_ChangesWhichAddressFromReads(string attribute, string wanted, bool expected)
    {
        var policy = Document(Rule("From", 0, $"<From>{Values(wanted)}</From>", attributes: attribute));
        var run = EeaTestRun.Run(policy, SpoofLike, "--mail-from", "bounces@mailer.example", "--rcpt", "bob@fabrikam.com");
        Assert.Equal(expected, run.MatchedRules.Contains("From"));
    }

    [Theory]
    [InlineData("Header", "contoso.com", true)]
    [InlineData("Envelope", "contoso.com", false)]
    [InlineData("Envelope", "mailer.example", true)]
    [InlineData("HeaderOrEnvelope", "mailer.example", true)]
    public void SenderAddressLocation_AppliesToEverySenderCondition_AndTheirExceptions(string location, string domain, bool expected)
    {
        var attribute = $"SenderAddressLocation=\"{location}\"";
        var policy = Document(
            Rule("Domain", 0, $"<SenderDomainIs>{Values(domain)}</SenderDomainIs>", attributes: attribute)
            + Rule("Pattern", 1, $"<FromAddressMatchesPatterns>{Values("@" + domain.Replace(".", "\\.", System.StringComparison.Ordinal) + "$")}</FromAddressMatchesPatterns>", attributes: attribute)
            + Rule("Except", 2, exceptions: $"<ExceptIfSenderDomainIs>{Values(domain)}</ExceptIfSenderDomainIs>", attributes: attribute));
        var run = EeaTestRun.Run(policy, SpoofLike, "--mail-from", "bounces@mailer.example", "--rcpt", "bob@fabrikam.com");
        Assert.Equal(expected, run.MatchedRules.Contains("Domain"));
        Assert.Equal(expected, run.MatchedRules.Contains("Pattern"));
        Assert.Equal(!expected, run.MatchedRules.Contains("Except"));
    }

    [Fact]
    public void SenderAddressLocation_Header_DoesNotFallBackToTheEnvelope_WhenTheMessageHasNoFrom()
    {
        const string NoFrom = "To: bob@fabrikam.com\r\nSubject: x\r\n\r\nbody\r\n";
        var header = LoadValid(Document(Rule("R", 0, $"<From>{Values("alice@contoso.com")}</From>")));
        var either = LoadValid(Document(Rule("R", 0, $"<From>{Values("alice@contoso.com")}</From>", attributes: "SenderAddressLocation=\"HeaderOrEnvelope\"")));
        Assert.False(Matched(Evaluate(header, NoFrom)));
        Assert.True(Matched(Evaluate(either, NoFrom)));
    }

    [Fact]
    public void SenderAddressLocation_RoundTripsThroughThePolicyWriter()
    {
        var policy = LoadValid(Document(Rule("R", 0, $"<From>{Values("a@contoso.com")}</From>", attributes: "SenderAddressLocation=\"Envelope\"")));
        var written = ExchangeEncryptionAgent.Policy.PolicyWriter.Write(policy);
        Assert.Contains("SenderAddressLocation=\"Envelope\"", written, System.StringComparison.Ordinal);
        var reread = LoadValid(written);
        Assert.Equal(ExchangeEncryptionAgent.Policy.Model.SenderAddressLocation.Envelope, reread.Rules.Single().SenderAddressLocation);
    }
}
