using System;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 3: a content condition that timed out counted as "no match", so a card number at the end of a 30 MB message
/// left unprotected while the same card in a small message was rejected. Now an evaluation error on a protective rule
/// applies the rule (RuleErrorAction="Protect", the default), and a per-message EvaluationBudget bounds the sum.
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class RuleErrorTests
{
    private const string Card = "4111 1111 1111 1111";

    // Nested quantifiers: catastrophic backtracking on any long run of words, the classic slow pattern.
    private const string SlowCardRule = """
        <Rule Name="Cards to Northwind" Priority="10">
          <Conditions>
            <RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs>
            <SubjectOrBodyMatchesPatterns><Value>^(\w+\s?)+\b4[0-9]{3}( [0-9]{4}){3}\b</Value></SubjectOrBodyMatchesPatterns>
          </Conditions>
          <Actions><EncryptSmime Certificate="Personal"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        """;

    private static readonly Lazy<string> ThirtyMegabytes = new(() =>
    {
        var builder = new StringBuilder(31 * 1024 * 1024);
        builder.Append("From: Alice <alice@contoso.example>\r\nTo: bob@northwind.example, carol@northwind.example\r\nSubject: Export\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        const string Line = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut\r\n";
        while (builder.Length < 30 * 1024 * 1024)
        {
            builder.Append(Line);
        }

        return builder.Append("card ").Append(Card).Append("\r\n").ToString();
    });

    private const string SpreadsheetRule = """
        <Rule Name="No spreadsheets to Northwind" Priority="0">
          <Conditions>
            <RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs>
            <AttachmentExtensionMatchesWords><Value>xlsx</Value></AttachmentExtensionMatchesWords>
          </Conditions>
          <Actions><RejectMessage EnhancedStatusCode="5.7.1" Reason="Spreadsheets are not sent to partners" /></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public RuleErrorTests(PipelineFixture fixture) => _fixture = fixture;

    [Fact]
    public void ThirtyMegabyteMessage_CardAtTheEnd_SlowPattern_GetsTheRulesProtection()
    {
        var policy = _fixture.WritePolicy(SlowCardRule);

        using var run = _fixture.Run(policy, ThirtyMegabytes.Value, Alice, "bob@northwind.example", "carol@northwind.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.True(run.Logged(EventIds.PolicyRuleErrorProtected), string.Join("\n", run.Log));
        Assert.False(run.Logged(EventIds.PolicyRuleErrorIgnored));
        // Bob (certificate) gets ciphertext, Carol (none) the reject fallback: what a small message with the card gets.
        var bob = run.CopyFor("bob@northwind.example");
        Assert.Equal(new[] { "bob", "recovery" }, _fixture.Recipients(bob.ReadAllBytes()));
        Assert.Equal("carol@northwind.example", Assert.Single(run.Result.NonDeliveries).Recipient);
    }

    [Fact]
    public void CardHiddenBelowTheMimeNestingLimit_GetsTheRulesProtection()
    {
        // Attack: bury the card number 70 multipart levels deep, below the 64 levels the engine reads, hoping the
        // protective rule sees "no match". The unread part is a rule error, and the protective rule applies.
        var policy = _fixture.WritePolicy("""
            <Rule Name="Cards to Northwind" Priority="0">
              <Conditions>
                <RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs>
                <SubjectOrBodyContainsWords><Value>card 4111</Value></SubjectOrBodyContainsWords>
              </Conditions>
              <Actions><RejectMessage EnhancedStatusCode="5.7.1" Reason="Card numbers are not sent to partners" /></Actions>
            </Rule>
            """);
        var mime = new System.Text.StringBuilder("From: alice@contoso.example\r\nTo: bob@northwind.example\r\nSubject: hello\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < 70; i++)
        {
            mime.Append(System.FormattableString.Invariant($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"));
        }

        mime.Append("Content-Type: text/plain\r\n\r\ncard 4111 1111 1111 1111\r\n");
        for (var i = 69; i >= 0; i--)
        {
            mime.Append(System.FormattableString.Invariant($"--b{i}--\r\n"));
        }

        using var run = _fixture.Run(policy, mime.ToString(), Alice, "bob@northwind.example");

        Assert.True(run.Logged(EventIds.ContentUnreadable), string.Join("\n", run.Log));
        Assert.True(run.Logged(EventIds.PolicyRuleErrorProtected));
        Assert.Equal("bob@northwind.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.Empty(run.Result.Delivered);
    }

    [Fact]
    public void SpreadsheetHiddenPastTheMimePartLimit_GetsTheRulesProtection()
    {
        // Attack: thousands of tiny parts before the spreadsheet, hoping the engine gives up and the protective rule
        // sees "no attachment". Past MaxMimeParts the message is unreadable: a rule error, and the rule applies.
        var policy = _fixture.WritePolicy(SpreadsheetRule);
        var mime = new StringBuilder("From: alice@contoso.example\r\nTo: bob@northwind.example\r\nSubject: hello\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (var i = 0; i < ExchangeEncryptionAgent.Content.MessageContextLimits.MaxMimeParts + 10; i++)
        {
            mime.Append("--p\r\n\r\nx\r\n");
        }

        mime.Append("--p\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"payroll.xlsx\"\r\n\r\nPK\r\n--p--\r\n");

        using var run = _fixture.Run(policy, mime.ToString(), Alice, "bob@northwind.example");

        Assert.True(run.Logged(EventIds.ContentUnreadable), string.Join("\n", run.Log));
        Assert.Contains(run.Log, l => l.Contains("MIME parts", StringComparison.Ordinal));
        Assert.True(run.Logged(EventIds.PolicyRuleErrorProtected));
        Assert.Equal("bob@northwind.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.Empty(run.Result.Delivered);
    }

    [Fact]
    public void SpreadsheetDeclaredAfterTwelveThousandHeaderFields_IsStillSeen()
    {
        // Attack: bury Content-Type (and From) after more header fields than the engine parses, hoping the thinned
        // header block turns the message into plain text without the attachment. The fields that shape the message
        // are kept wherever they stand; only fields no condition can see are dropped.
        var policy = _fixture.WritePolicy(SpreadsheetRule);
        var mime = new StringBuilder("To: bob@northwind.example\r\nSubject: hello\r\n");
        for (var i = 0; i < ExchangeEncryptionAgent.Content.MessageContextLimits.MaxIndexedHeaders + 2000; i++)
        {
            mime.Append("X-F: ").Append(i).Append("\r\n");
        }

        mime.Append("From: alice@contoso.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n")
            .Append("--p\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n")
            .Append("--p\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"payroll.xlsx\"\r\n\r\nPK\r\n--p--\r\n");

        using var run = _fixture.Run(policy, mime.ToString(), Alice, "bob@northwind.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.False(run.Logged(EventIds.ContentUnreadable), string.Join("\n", run.Log));
        Assert.Equal("bob@northwind.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.Empty(run.Result.Delivered);
    }

    [Fact]
    public void PrivateSensitivityBuriedPastTheHeaderIndex_GetsTheRulesProtection()
    {
        // Attack: put the Sensitivity field after more header fields than header conditions see, hoping the rule that
        // rejects private mail to partners finds "no match". Past the index the answer is unknown: a rule error, and
        // the protective rule applies (event 1205).
        var policy = _fixture.WritePolicy("""
            <Rule Name="No private mail to Northwind" Priority="0">
              <Conditions>
                <RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs>
                <HasSensitivity><Value>Private</Value></HasSensitivity>
              </Conditions>
              <Actions><RejectMessage EnhancedStatusCode="5.7.1" Reason="Private mail is not sent to partners" /></Actions>
            </Rule>
            """);
        var mime = new StringBuilder("From: alice@contoso.example\r\nTo: bob@northwind.example\r\nSubject: hello\r\n");
        for (var i = 0; i < ExchangeEncryptionAgent.Content.MessageContextLimits.MaxIndexedHeaders + 10; i++)
        {
            mime.Append("X-F: ").Append(i).Append("\r\n");
        }

        mime.Append("Sensitivity: Private\r\n\r\nSalary review.\r\n");

        using var run = _fixture.Run(policy, mime.ToString(), Alice, "bob@northwind.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.True(run.Logged(EventIds.PolicyRuleErrorProtected), string.Join("\n", run.Log));
        Assert.Equal("bob@northwind.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.Empty(run.Result.Delivered);
    }

    [Fact]
    public void SpentEvaluationBudget_DoesNotLetTheProtectiveRuleSlipByEither()
    {
        // A cheap, harmless rule first reads the 30 MB body and spends the 10 ms budget; the card rule after it uses
        // plain words (no regex to time out), so only the budget can stop it. It must still protect.
        var policy = _fixture.WritePolicy("""
            <Rule Name="Tag long mail" Priority="0">
              <Conditions><SubjectOrBodyContainsWords><Value>nothing-like-this</Value></SubjectOrBodyContainsWords></Conditions>
              <Actions><SetHeader Name="X-Tag" Value="long" /></Actions>
            </Rule>
            <Rule Name="Cards to Northwind" Priority="10">
              <Conditions>
                <RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs>
                <SubjectOrBodyContainsWords><Value>card 4111</Value></SubjectOrBodyContainsWords>
              </Conditions>
              <Actions><RejectMessage EnhancedStatusCode="5.7.1" Reason="Card numbers are not sent to partners" /></Actions>
            </Rule>
            """, settings: "<EvaluationBudget>PT0.01S</EvaluationBudget>");

        using var run = _fixture.Run(policy, ThirtyMegabytes.Value, Alice, "bob@northwind.example", "carol@northwind.example");

        Assert.True(run.Logged(EventIds.PolicyRuleErrorProtected));
        Assert.Contains(run.Log, l => l.Contains("evaluation budget", StringComparison.Ordinal) && l.Contains("Cards to Northwind", StringComparison.Ordinal));
        Assert.Equal(new[] { "bob@northwind.example", "carol@northwind.example" }, run.Result.NonDeliveries.Select(n => n.Recipient).OrderBy(r => r, StringComparer.Ordinal));
        Assert.Empty(run.Result.Delivered);
    }

    [Fact]
    public void IgnoreIsAnExplicitOptOut_AndStaysAsDocumented()
    {
        var policy = _fixture.WritePolicy(SlowCardRule.Replace("Priority=\"10\"", "Priority=\"10\" RuleErrorAction=\"Ignore\"", StringComparison.Ordinal));

        using var run = _fixture.Run(policy, ThirtyMegabytes.Value, Alice, "bob@northwind.example");

        // The administrator chose fail-open for this rule: no match, logged as such (event 1203).
        Assert.True(run.Logged(EventIds.PolicyRuleErrorIgnored));
        Assert.Empty(run.Result.NonDeliveries);
        Assert.DoesNotContain("enveloped-data", Headers(run.CopyFor("bob@northwind.example").ReadAllBytes()), StringComparison.Ordinal);
    }
}
