using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using ExchangeEncryptionAgent.Tool;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 4: the first matching action won, so an earlier rule's plain-text opt-in silently overrode a later rule that
/// required forced TLS or rejection. Now the strictest treatment wins (reject > encrypt > forced TLS > sign > none)
/// unless a rule says StopRuleProcessing.
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class StrictestTreatmentTests
{
    private const string BestEffortFirst = """
        <Rule Name="Best effort to Tailspin" Priority="0">
          <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime><Fallback><DeliverInPlainTextInsecure /></Fallback></EncryptSmime></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public StrictestTreatmentTests(PipelineFixture fixture) => _fixture = fixture;

    private static string Message(string to) => TestMessages.Crlf($"""
        From: Alice <alice@contoso.example>
        To: {to}
        Subject: Salaries
        Message-ID: <strict-{Guid.NewGuid():N}@contoso.example>
        MIME-Version: 1.0
        Content-Type: text/plain

        The salary table.
        """);

    [Fact]
    public void EarlierPlainTextOptIn_DoesNotOverrideALaterRulesForcedTlsFallback()
    {
        var policy = _fixture.WritePolicy(BestEffortFirst + """
            <Rule Name="Salaries only over TLS" Priority="10">
              <Conditions><SubjectContainsWords><Value>salaries</Value></SubjectContainsWords></Conditions>
              <Actions><EncryptSmime><Fallback><RouteRequireTls /></Fallback></EncryptSmime></Actions>
            </Rule>
            """);

        using var run = _fixture.Run(policy, Message("grace@tailspin.example"), Alice, "grace@tailspin.example");

        var route = run.CopyFor("grace@tailspin.example").Recipient("grace@tailspin.example").RoutingOverride;
        Assert.Equal("forcetls.contoso.example", route?.RoutingDomain);
        Assert.False(run.Logged(EventIds.InsecurePlainTextDelivery));
    }

    [Fact]
    public void EarlierPlainTextOptIn_DoesNotOverrideALaterRulesRejection()
    {
        var policy = _fixture.WritePolicy(BestEffortFirst + """
            <Rule Name="Salaries encrypted or not at all" Priority="10">
              <Conditions><SubjectContainsWords><Value>salaries</Value></SubjectContainsWords></Conditions>
              <Actions><EncryptSmime><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
            </Rule>
            """);

        using var run = _fixture.Run(policy, Message("grace@tailspin.example"), Alice, "grace@tailspin.example");

        Assert.Empty(run.Result.Delivered);
        Assert.Equal(("grace@tailspin.example", "5.7.1"), (Assert.Single(run.Result.NonDeliveries).Recipient, run.Result.NonDeliveries[0].EnhancedStatusCode));
        Assert.False(run.Logged(EventIds.InsecurePlainTextDelivery));
    }

    [Fact]
    public void StopRuleProcessing_IsTheOneWayToKeepALaterRuleOut()
    {
        var policy = _fixture.WritePolicy(BestEffortFirst.Replace("Priority=\"0\"", "Priority=\"0\" StopRuleProcessing=\"true\"", StringComparison.Ordinal) + """
            <Rule Name="Salaries encrypted or not at all" Priority="10">
              <Conditions><SubjectContainsWords><Value>salaries</Value></SubjectContainsWords></Conditions>
              <Actions><EncryptSmime><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
            </Rule>
            """);

        using var run = _fixture.Run(policy, Message("grace@tailspin.example"), Alice, "grace@tailspin.example");

        Assert.Empty(run.Result.NonDeliveries);
        Assert.True(run.Logged(EventIds.InsecurePlainTextDelivery));
    }

    [Fact]
    public void EeaTest_ShowsTheOrder_AndTheStrictestTreatmentPerRecipient()
    {
        var policy = _fixture.WritePolicy(BestEffortFirst + """
            <Rule Name="Never to Tailspin" Priority="10">
              <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
              <Actions><RejectMessage EnhancedStatusCode="5.7.1" /></Actions>
            </Rule>
            """);
        var message = Path.Combine(_fixture.Directory, WriteFile(_fixture, Message("grace@tailspin.example, ed@contoso.example")));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Program.Run(new[] { "test", "--policy", policy, "--mail-from", Alice, message }, stdout, stderr);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(new[] { "reject", "encrypt", "forced-tls", "sign", "none" }, json.RootElement.GetProperty("strictnessOrder").EnumerateArray().Select(e => e.GetString()));
        var treatments = json.RootElement.GetProperty("recipients").EnumerateArray()
            .ToDictionary(r => r.GetProperty("address").GetString()!, r => r.GetProperty("treatment").GetString());
        Assert.Equal("reject", treatments["grace@tailspin.example"]);
        Assert.Equal("none", treatments["ed@contoso.example"]);
    }
}
