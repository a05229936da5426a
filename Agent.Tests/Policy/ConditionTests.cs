using System;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>Every condition against a message it matches and one it does not, and the same for its ExceptIf twin.</summary>
public sealed class ConditionTests
{
    /// <summary>A message and its envelope.</summary>
    public sealed record Sample(string Eml, string MailFrom = "alice@contoso.com", string Recipient = "bob@fabrikam.com");

    /// <summary>A condition element (without the ExceptIf prefix), a message it matches, the value it reports, and a near miss.</summary>
    public sealed record ConditionCase(string Element, string Body, Sample Match, string MatchedValue, Sample Miss)
    {
        public override string ToString() => Element;
    }

    private static string Multipart(string attachmentName, string attachmentType, string attachmentBody, string encoding = "base64")
    {
        var encoded = encoding == "base64" ? Convert.ToBase64String(Encoding.UTF8.GetBytes(attachmentBody), Base64FormattingOptions.InsertLineBreaks) : attachmentBody;
        return Eml(contentType: "multipart/mixed; boundary=\"b1\"", body:
            "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
            + $"--b1\r\nContent-Type: {attachmentType}; name=\"{attachmentName}\"\r\nContent-Disposition: attachment; filename=\"{attachmentName}\"\r\n"
            + $"Content-Transfer-Encoding: {encoding}\r\n\r\n{encoded}\r\n--b1--");
    }

    private static string Multipart(string attachmentName, string attachmentType, byte[] attachment)
        => Eml(contentType: "multipart/mixed; boundary=\"b1\"", body:
            "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
            + $"--b1\r\nContent-Type: {attachmentType}; name=\"{attachmentName}\"\r\nContent-Disposition: attachment; filename=\"{attachmentName}\"\r\n"
            + $"Content-Transfer-Encoding: base64\r\n\r\n{Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks)}\r\n--b1--");

    private static string Labels(bool enabled) =>
        "msip_labels: MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_Enabled=" + (enabled ? "true" : "false")
        + ";\r\n MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_SiteId=72f988bf-86f1-41af-91ab-2d7cd011db47;\r\n"
        + " MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_Name=Confidential;\r\n";

    private static readonly ConditionCase[] AllCases =
    {
        new("FromScope", "InOrganization",
            new(Eml()), "InOrganization",
            new(Eml(from: "mallory@fabrikam.com"), MailFrom: "mallory@fabrikam.com")),
        new("From", Values("alice@contoso.com"),
            new(Eml(from: "Alice <ALICE@Contoso.com>")), "ALICE@Contoso.com",
            new(Eml(from: "carol@contoso.com"))),
        new("FromAddressMatchesPatterns", Values("^alice@"),
            new(Eml()), "alice@",
            new(Eml(from: "malice@contoso.com"))),
        new("SenderDomainIs", Values("contoso.com"),
            new(Eml(from: "alice@eu.contoso.com")), "eu.contoso.com",
            new(Eml(from: "alice@contoso.com.evil.example"))),
        new("SentToScope", "NotInOrganization",
            new(Eml()), "NotInOrganization",
            new(Eml(to: "carol@contoso.com"), Recipient: "carol@contoso.com")),
        new("SentTo", Values("bob@fabrikam.com"),
            new(Eml(), Recipient: "Bob@Fabrikam.com"), "Bob@Fabrikam.com",
            new(Eml(), Recipient: "dave@fabrikam.com")),
        new("RecipientAddressMatchesPatterns", Values("^bob@"),
            new(Eml()), "bob@",
            new(Eml(), Recipient: "dave@fabrikam.com")),
        new("RecipientDomainIs", Values("fabrikam.com"),
            new(Eml(), Recipient: "bob@sales.fabrikam.com"), "sales.fabrikam.com",
            new(Eml(), Recipient: "bob@notfabrikam.com")),
        new("AnyOfToCcHeader", Values("carol@contoso.com"),
            new(Eml(extraHeaders: "Cc: Carol <carol@contoso.com>\r\n")), "carol@contoso.com",
            new(Eml(extraHeaders: "Cc: dave@contoso.com\r\n"))),
        new("HeaderContainsWords", Values("secret"),
            new(Eml(extraHeaders: "X-Classification: top SECRET\r\n")), "secret",
            new(Eml(extraHeaders: "X-Classification: secretive\r\n"))),
        new("HeaderMatchesPatterns", Values(@"^T-\d+$"),
            new(Eml(extraHeaders: "X-Classification: T-123\r\n")), "T-123",
            new(Eml(extraHeaders: "X-Classification: T-12a\r\n"))),
        new("SubjectContainsWords", Values("confidential", "secret"),
            new(Eml(subject: "=?utf-8?B?UTMgQ29uZmlkZW50aWFsIGZpZ3VyZXM=?=")), "confidential",
            new(Eml(subject: "nonconfidential secrets"))),
        new("SubjectMatchesPatterns", Values(@"invoice\s+\d+"),
            new(Eml(subject: "Your Invoice 42")), "Invoice 42",
            new(Eml(subject: "Your invoice x"))),
        new("SubjectOrBodyContainsWords", Values("project falcon"),
            new(Eml(contentType: "text/html; charset=iso-8859-1", body: "<p>Status of <b>Project</b>\r\n  Falcon&nbsp;&auml;</p>")), "project falcon",
            new(Eml(body: "Project Falconer is public"))),
        new("SubjectOrBodyMatchesPatterns", Values(@"\b\d{4}-\d{4}-\d{4}-\d{4}\b"),
            new(Eml(extraHeaders: "Content-Transfer-Encoding: quoted-printable\r\n", body: "Card: 4111-1111-=\r\n1111-1111 thanks")), "4111-1111-1111-1111",
            new(Eml(body: "Card: 4111-1111-1111"))),
        new("AttachmentNameMatchesPatterns", Values(@"^payroll.*\.xlsx$"),
            new(Multipart("Payroll-2025.xlsx", "application/octet-stream", "x")), "Payroll-2025.xlsx",
            new(Multipart("report.xlsx", "application/octet-stream", "x"))),
        new("AttachmentExtensionMatchesWords", Values("exe", ".bat"),
            new(Multipart("setup.EXE", "application/octet-stream", "MZ")), "exe",
            new(Multipart("setup.exe.txt", "text/plain", "MZ"))),
        new("AttachmentContainsWords", Values("top secret"),
            new(Multipart("notes.txt", "text/plain", "This is TOP\nsecret material.")), "top secret",
            new(Multipart("notes.txt", "text/plain", "nothing to see"))),
        new("AttachmentMatchesPatterns", Values(@"PRJ-\d{4}"),
            new(Multipart("notes.txt", "text/plain", "Code PRJ-1234 attached")), "PRJ-1234",
            new(Multipart("notes.txt", "text/plain", "Code PRJ-12 attached"))),
        new("AttachmentIsUnsupported", string.Empty,
            new(Multipart("photo.png", "image/png", "PNG-DATA")), "photo.png",
            new(Multipart("notes.txt", "text/plain", "plain words"))),
        new("AttachmentIsPasswordProtected", string.Empty,
            new(Multipart("salaries.docx", "application/octet-stream", Content.Attachments.TestFiles.CompoundFile("EncryptionInfo"))), "salaries.docx",
            new(Multipart("old.doc", "application/msword", Content.Attachments.TestFiles.CompoundFile("WordDocument")))),
        new("AttachmentProcessingLimitExceeded", string.Empty,
            new(Multipart("deep.zip", "application/zip", Content.Attachments.TestFiles.NestedZip(6, "x"))), "deep.zip: containers nested deeper than 5 levels",
            new(Multipart("shallow.zip", "application/zip", Content.Attachments.TestFiles.NestedZip(2, "x")))),
        new("AttachmentSizeOver", "1KB",
            new(Multipart("big.bin", "application/octet-stream", new string('x', 2000))), "2000",
            new(Multipart("small.bin", "application/octet-stream", new string('x', 1000)))),
        new("MessageSizeOver", "10 KB",
            new(Eml(body: new string('y', 12_000))), null!,
            new(Eml(body: "short"))),
        new("MessageTypeMatches", Values("Signed", "Calendaring"),
            new(Eml(contentType: "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"s\"",
                body: "--s\r\nContent-Type: text/plain\r\n\r\nHi\r\n--s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n\r\nAAAA\r\n--s--")), "Signed",
            new(Eml())),
        new("WithImportance", Values("High"),
            new(Eml(extraHeaders: "X-Priority: 1 (Highest)\r\n")), "High",
            new(Eml(extraHeaders: "Importance: normal\r\n"))),
        new("HasSensitivity", Values("CompanyConfidential"),
            new(Eml(extraHeaders: "Sensitivity: Company-Confidential\r\n")), "CompanyConfidential",
            new(Eml(extraHeaders: "Sensitivity: Personal\r\n"))),
        new("HasClassification", Values("{5c1d6f2a-8b3e-4a7d-9c0f-1e2d3c4b5a69}"),
            new(Eml(extraHeaders: "X-MS-Exchange-Organization-Classification: 5c1d6f2a-8b3e-4a7d-9c0f-1e2d3c4b5a69\r\n")), "5c1d6f2a-8b3e-4a7d-9c0f-1e2d3c4b5a69",
            new(Eml(extraHeaders: "X-MS-Exchange-Organization-Classification: 0b8f6e1d-2c3a-4f5e-8d7c-6b5a49382716\r\n" + Labels(enabled: true)))),
        new("HasSensitivityLabel", Values("confidential"),
            new(Eml(extraHeaders: Labels(enabled: true))), "confidential",
            new(Eml(extraHeaders: Labels(enabled: false)))),
    };

    public static TheoryData<ConditionCase> Cases()
    {
        var data = new TheoryData<ConditionCase>();
        foreach (var c in AllCases)
        {
            data.Add(c);
        }

        return data;
    }

    private static string ConditionXml(ConditionCase c, string prefix)
    {
        var attribute = c.Element.StartsWith("Header", StringComparison.Ordinal) ? " Header=\"X-Classification\"" : string.Empty;
        return $"<{prefix}{c.Element}{attribute}>{c.Body}</{prefix}{c.Element}>";
    }

    private static PolicySet OneRule(string conditions = "", string exceptions = "")
        => LoadValid(Document(Rule("R", 0, conditions, exceptions)));

    private static PolicyDecision Run(PolicySet policy, Sample sample)
        => Evaluate(policy, sample.Eml, sample.MailFrom, sample.Recipient);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Condition_MatchesItsSample_AndNotTheNearMiss(ConditionCase c)
    {
        var policy = OneRule(conditions: ConditionXml(c, string.Empty));
        var match = Run(policy, c.Match);
        var rule = Assert.Single(match.Matches);
        var condition = Assert.Single(rule.Conditions);
        Assert.Equal(c.Element, condition.Condition);
        if (c.MatchedValue is not null)
        {
            Assert.Equal(c.MatchedValue, condition.MatchedValue, ignoreCase: true);
        }

        Assert.Empty(Run(policy, c.Miss).Matches);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExceptIfTwin_SuppressesTheRule_OnlyWhenItHolds(ConditionCase c)
    {
        var policy = OneRule(exceptions: ConditionXml(c, "ExceptIf"));
        Assert.Empty(Run(policy, c.Match).Matches);
        Assert.Single(Run(policy, c.Miss).Matches);
    }

    [Fact]
    public void SensitivityLabel_FromAnOutsideSender_DoesNotMatch()
    {
        // Attack: an outsider writes msip_labels "Confidential" to steer a rule (for example an exception that skips
        // encryption, or a rule that routes labelled mail). Only a message the host says was submitted inside counts.
        var eml = Eml(extraHeaders: Labels(enabled: true));
        var policy = OneRule(conditions: "<HasSensitivityLabel><Value>Confidential</Value></HasSensitivityLabel>");
        Assert.Empty(Evaluate(policy, eml, "mallory@attacker.example", "carol@contoso.com").Matches);
        Assert.Single(Evaluate(policy, eml, "alice@contoso.com", "carol@contoso.com").Matches);

        // A From: inside the organisation does not help: the envelope origin decides.
        using var forged = Context(System.Text.Encoding.UTF8.GetBytes(eml),
            new ExchangeEncryptionAgent.Content.MessageEnvelope("alice@contoso.com", new[] { new ExchangeEncryptionAgent.Content.EnvelopeRecipientInput("carol@contoso.com") },
                ExchangeEncryptionAgent.Content.SubmissionOrigin.SmtpAnonymous));
        Assert.Empty(PolicyEvaluator.Evaluate(policy, forged, Now).Matches);
    }

    [Fact]
    public void HasClassification_ReadsExchangeClassification_NotTheLabelHeader()
    {
        var policy = OneRule(conditions: "<HasClassification><Value>9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11</Value></HasClassification>");
        Assert.Empty(Run(policy, new(Eml(extraHeaders: Labels(enabled: true)))).Matches);
        Assert.Single(Run(policy, new(Eml(extraHeaders: "X-MS-Exchange-Organization-Classification: {9E7B5D1C-6A3F-4C8E-9A51-0F3C2B7D4E11}\r\n"))).Matches);
    }

    [Fact]
    public void HasClassification_ForgedByAnOutsideSender_DoesNotMatch()
    {
        // Attack: behind the SMTP gateway no header firewall removes X-MS-Exchange-Organization-* fields, so an
        // outsider writes the classification itself. Only mail the host says was submitted inside carries one.
        var policy = OneRule(conditions: "<HasClassification><Value>9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11</Value></HasClassification>");
        var eml = Eml(extraHeaders: "X-MS-Exchange-Organization-Classification: 9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11\r\n");
        Assert.Empty(Evaluate(policy, eml, "mallory@attacker.example", "carol@contoso.com").Matches);
        Assert.Single(Evaluate(policy, eml, "alice@contoso.com", "carol@contoso.com").Matches);
    }

    [Fact]
    public void HasClassification_ByName_IsALoadError_PointingToHasSensitivityLabel()
    {
        var error = Assert.Single(LoadErrors(Document(Rule("Labelled", 0, "<HasClassification><Value>Confidential</Value></HasClassification>"))));
        Assert.Contains("rule 'Labelled'", error);
        Assert.Contains("HasClassification value 'Confidential' is not a classification id", error);
        Assert.Contains("<HasSensitivityLabel>", error);
    }

    [Fact]
    public void EveryConditionOfTheSchema_HasACase()
    {
        var schema = System.Xml.Linq.XDocument.Parse(PolicySchema.ReadText());
        var xs = System.Xml.Linq.XNamespace.Get("http://www.w3.org/2001/XMLSchema");
        var group = schema.Root!.Elements(xs + "group").Single(g => (string?)g.Attribute("name") == "ConditionGroup");
        var conditions = group.Descendants(xs + "element").Select(e => (string)e.Attribute("name")!).OrderBy(n => n).ToArray();
        var covered = AllCases.Select(c => c.Element).OrderBy(n => n).ToArray();
        Assert.Equal(conditions, covered);
        Assert.Equal(29, conditions.Length);
    }
}
