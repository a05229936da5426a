using ExchangeEncryptionAgent.Tests.Support;
using System.IO;
using System.Linq;
using System.Text.Json;
using ExchangeEncryptionAgent.Tool;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Tool;

public sealed class PolicyCommandsTests
{
    private static readonly string ValidPolicy = RepoPaths.TestData("policies", "keyword-encryption-with-audit.xml");
    private static readonly string InvalidPolicy = RepoPaths.TestData("policies", "invalid-duplicate-names-and-unknown-element.xml");
    private static readonly string PartnerMessage = RepoPaths.TestData("messages", "partner-confidential-with-attachment.eml");
    private static readonly string MalformedMessage = RepoPaths.TestData("messages", "malformed-unterminated-multipart.eml");

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Validate_ValidFiles_ExitZero_OneLinePerFile()
    {
        var example = Path.Combine(RepoPaths.Root, "Policies", "examples", "forced-tls-partners.xml");
        var (exit, output, error) = Run("validate", ValidPolicy, example);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        var lines = output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"keyword-encryption-with-audit\.xml: valid, 2 rules, SHA-256 [0-9a-f]{64}", lines[0]);
        Assert.Contains("forced-tls-partners.xml: valid, 1 rules", lines[1]);
    }

    [Fact]
    public void Validate_InvalidFile_ExitOne_AllErrorsOnStderr()
    {
        var (exit, output, error) = Run("validate", ValidPolicy, InvalidPolicy);
        Assert.Equal(1, exit);
        Assert.Contains("valid, 2 rules", output);
        var lines = error.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"invalid-duplicate-names-and-unknown-element\.xml:12:6: rule 'Tag partner mail': duplicate rule name", lines[0]);
        Assert.Matches(@"invalid-duplicate-names-and-unknown-element\.xml:14:10: rule 'Tag partner mail': .*SubjectContainsWord", lines[1]);
    }

    [Fact]
    public void Validate_NoArguments_IsUsage()
    {
        Assert.Equal(2, Run("validate").Exit);
    }

    [Fact]
    public void Test_PrintsMatchesActionsAndConditions_AsJson()
    {
        var (exit, output, error) = Run("test", "--policy", ValidPolicy, "--mail-from", "alice@contoso.com", "--now", "2025-06-01T12:00:00Z", PartnerMessage);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("policy").GetProperty("rules").GetInt32());
        Assert.False(root.GetProperty("message").GetProperty("parseFailed").GetBoolean());
        Assert.Equal("Q3 figures (confidential)", root.GetProperty("message").GetProperty("subject").GetString());

        var matches = root.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal(new (string?, string?)[] { ("Encrypt confidential to partners", "Enforce"), ("Audit large attachments", "Audit") },
            matches.Select(m => (m.GetProperty("rule").GetString(), m.GetProperty("mode").GetString())));
        var conditions = matches[0].GetProperty("conditions").EnumerateArray()
            .Select(c => (c.GetProperty("condition").GetString(), c.GetProperty("value").GetString())).ToList();
        Assert.Contains(("SubjectOrBodyContainsWords", "confidential"), conditions);
        Assert.Contains(("RecipientDomainIs", "fabrikam.com"), conditions);

        // Without --rcpt the recipients are To, Cc and Bcc.
        var recipients = root.GetProperty("recipients").EnumerateArray().ToList();
        Assert.Equal(new[] { "bob@fabrikam.com", "carol@contoso.com", "dave@fabrikam.com" }, recipients.Select(r => r.GetProperty("address").GetString()));
        var bobAction = Assert.Single(recipients[0].GetProperty("actions").EnumerateArray());
        Assert.Equal("EncryptSmime", bobAction.GetProperty("type").GetString());
        Assert.Equal("Gateway", bobAction.GetProperty("certificate").GetString());
        var fallback = bobAction.GetProperty("fallback").EnumerateArray().ToList();
        Assert.Equal("RouteRequireTls", fallback[0].GetProperty("type").GetString());
        Assert.Equal("tls.contoso.invalid", fallback[0].GetProperty("addressSpace").GetString());
        Assert.Equal("PT30M", fallback[1].GetProperty("retryAfter").GetString());
        Assert.Empty(recipients[1].GetProperty("actions").EnumerateArray());
        Assert.True(recipients[1].GetProperty("internal").GetBoolean());
        Assert.StartsWith("v=1; policy=", recipients[0].GetProperty("auditHeader").GetString());
        Assert.False(root.GetProperty("deferMessage").GetBoolean());
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public void Test_WithRcpt_UsesOnlyThoseRecipients()
    {
        var (exit, output, _) = Run("test", "--policy", ValidPolicy, "--rcpt", "carol@contoso.com", "--origin", "smtp-authenticated", PartnerMessage);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var recipient = Assert.Single(json.RootElement.GetProperty("recipients").EnumerateArray());
        Assert.Equal("carol@contoso.com", recipient.GetProperty("address").GetString());
        Assert.Equal("InOrganization", json.RootElement.GetProperty("sender_scope").GetString());
        Assert.Equal("Audit large attachments", Assert.Single(json.RootElement.GetProperty("matches").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Fact]
    public void Test_MalformedMessage_IsAResult_ExitZero()
    {
        var (exit, output, _) = Run("test", "--policy", ValidPolicy, MalformedMessage);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("bob@fabrikam.com", Assert.Single(json.RootElement.GetProperty("recipients").EnumerateArray()).GetProperty("address").GetString());
        Assert.Empty(json.RootElement.GetProperty("matches").EnumerateArray());
    }

    [Fact]
    public void Test_InvalidPolicy_ExitOne()
    {
        var (exit, output, error) = Run("test", "--policy", InvalidPolicy, PartnerMessage);
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("duplicate rule name", error);
    }

    [Theory]
    [InlineData("test")]
    [InlineData("test", "message.eml")]
    [InlineData("test", "--policy")]
    [InlineData("test", "--policy", "p.xml", "--internal-sender", "maybe", "m.eml")]
    [InlineData("test", "--policy", "p.xml", "--bogus", "x", "m.eml")]
    [InlineData("test", "--policy", "p.xml", "a.eml", "b.eml")]
    public void Test_BadUsage_ExitTwo(params string[] args)
    {
        var (exit, _, error) = Run(args);
        Assert.Equal(2, exit);
        Assert.Contains("usage: eea test", error);
    }

    [Fact]
    public void Test_MissingMessageFile_ExitOne()
    {
        Assert.Equal(1, Run("test", "--policy", ValidPolicy, "no-such-message.eml").Exit);
    }

    [Fact]
    public void Help_ListsTheNewVerbs()
    {
        var (_, output, _) = Run("help");
        Assert.Contains("validate", output);
        Assert.Contains("test", output);
    }
}
