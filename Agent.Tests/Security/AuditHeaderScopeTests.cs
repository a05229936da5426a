using System;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 6: X-EEA-Policy named the rules on copies sent outside, telling outsiders how their correspondence was
/// classified. By default only copies whose recipients are all inside carry it; OutsideCopies="true" opts in.
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class AuditHeaderScopeTests
{
    private const string Rules = """
        <Rule Name="M and A project Falcon" Priority="0">
          <Conditions><SubjectContainsWords><Value>falcon</Value></SubjectContainsWords></Conditions>
          <Actions><SetHeader Name="X-Project" Value="restricted" /></Actions>
        </Rule>
        <Rule Name="Fabrikam gateway" Priority="10">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public AuditHeaderScopeTests(PipelineFixture fixture) => _fixture = fixture;

    private static string Message() => TestMessages.Crlf($"""
        From: Alice <alice@contoso.example>
        To: dave@fabrikam.example, grace@tailspin.example, ed@contoso.example
        Subject: Falcon: next steps
        Message-ID: <audit-{Guid.NewGuid():N}@contoso.example>
        MIME-Version: 1.0
        Content-Type: text/plain

        Next steps.
        """);

    [Fact]
    public void CopiesLeavingTheOrganisation_CarryNoRuleNames_InsideOrOutsideTheEnvelope()
    {
        var policy = _fixture.WritePolicy(Rules);

        using var run = _fixture.Run(policy, Message(), Alice, "dave@fabrikam.example", "ed@contoso.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        var dave = run.CopyFor("dave@fabrikam.example").ReadAllBytes();
        Assert.DoesNotContain("X-EEA-Policy", Headers(dave), StringComparison.OrdinalIgnoreCase);
        var inner = DecryptWithOpenSsl(_fixture, dave, "fabrikam-gateway");
        Assert.DoesNotContain("X-EEA-", inner, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Next steps.", inner, StringComparison.Ordinal);

        // Ed is inside and alone in his copy: it says which rule applied.
        Assert.Contains("X-EEA-Policy: v=1;", run.CopyFor("ed@contoso.example").ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void OneCopyForAnInsiderAndAnOutsider_IsTreatedAsLeaving()
    {
        var policy = _fixture.WritePolicy(Rules);
        var mime = Message().Replace("To: dave@fabrikam.example, grace@tailspin.example, ed@contoso.example", "To: grace@tailspin.example, ed@contoso.example", StringComparison.Ordinal);

        using var run = _fixture.Run(policy, mime, Alice, "grace@tailspin.example", "ed@contoso.example");

        var copy = Assert.Single(run.Result.Delivered);
        Assert.Equal(2, copy.RecipientAddresses.Count);
        Assert.DoesNotContain("X-EEA-Policy", copy.ReadAllText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void OutsideCopiesOptIn_StampsThem()
    {
        var policy = _fixture.WritePolicy(Rules, settings: """<AuditHeader Enabled="true" OutsideCopies="true" />""");

        using var run = _fixture.Run(policy, Message(), Alice, "dave@fabrikam.example", "grace@tailspin.example", "ed@contoso.example");

        Assert.Contains("X-EEA-Policy: v=1;", Headers(run.CopyFor("dave@fabrikam.example").ReadAllBytes()), StringComparison.Ordinal);
        Assert.Contains("rules=\"M and A project Falcon\"", run.CopyFor("grace@tailspin.example").ReadAllText(), StringComparison.Ordinal);
    }
}
