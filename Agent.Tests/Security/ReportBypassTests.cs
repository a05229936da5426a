using System;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 1: a top-level multipart/report (any report-type, any content) used to skip the whole policy. A report anyone
/// can write is mail like any other; only what the host marks as a system message is left to the host (the adapter
/// checks Exchange's EmailMessage.IsSystemMessage; the simulated host marks every top-level multipart/report, so these
/// tests hand the message to the engine as the adapter does once the host lets it through).
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class ReportBypassTests
{
    private const string CardRule = """
        <Rule Name="Card numbers to Northwind" Priority="0">
          <Conditions>
            <RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs>
            <SubjectOrBodyMatchesPatterns><Value>\b4[0-9]{3}( ?[0-9]{4}){3}\b</Value></SubjectOrBodyMatchesPatterns>
          </Conditions>
          <Actions><EncryptSmime Certificate="Personal"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public ReportBypassTests(PipelineFixture fixture) => _fixture = fixture;

    private static string Report(string reportType, string extraHeaders = "") => TestMessages.Crlf($"""
        From: Alice <alice@contoso.example>
        To: bob@northwind.example, carol@northwind.example
        Subject: Delivery Status Notification (Failure)
        Message-ID: <report-{Guid.NewGuid():N}@contoso.example>
        {extraHeaders}MIME-Version: 1.0
        Content-Type: multipart/report; report-type={reportType}; boundary="r"

        --r
        Content-Type: text/plain

        The card is 4111 1111 1111 1111, expiry 09/29.
        --r
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.contoso.example
        Final-Recipient: rfc822; nobody@northwind.example
        Action: failed
        Status: 5.1.1
        --r--
        """);

    private static MessageEnvelope Envelope(string mailFrom, SubmissionOrigin origin, params string[] recipients)
        => new(mailFrom, recipients.Select(r => new EnvelopeRecipientInput(r, r.EndsWith("@contoso.example", StringComparison.Ordinal))).ToList(), origin);

    // The engine path: the simulated host (like Exchange) holds back what it marks as a system message itself; once it
    // hands a message to the agent, no label in the content may skip the policy.
    [Theory]
    [InlineData("delivery-status")]
    [InlineData("disposition-notification")]
    [InlineData("anything-at-all")]
    public void MultipartReport_CarryingACardNumber_IsEncryptedOrRejected_AsTheRuleSays(string reportType)
    {
        var policy = _fixture.WritePolicy(CardRule);

        var (plan, copies, _) = RunEngine(_fixture, policy, Report(reportType), Envelope(Alice, SubmissionOrigin.Mailbox, "bob@northwind.example", "carol@northwind.example"));

        // Bob has a certificate: his copy is enveloped for him; openssl opens it and finds the report inside.
        var bob = copies.Single(c => c.Copy.Recipients.Contains("bob@northwind.example")).Bytes!;
        Assert.Contains("smime-type=enveloped-data", Headers(bob), StringComparison.Ordinal);
        Assert.DoesNotContain("4111", Encoding.ASCII.GetString(bob), StringComparison.Ordinal);
        var inner = DecryptWithOpenSsl(_fixture, bob, "bob");
        Assert.Contains("multipart/report", inner, StringComparison.Ordinal);
        Assert.Contains("4111 1111 1111 1111", inner, StringComparison.Ordinal);

        // Carol has none: the rule's fallback rejects her instead of letting the "report" through.
        var rejection = Assert.Single(plan.Rejections);
        Assert.Equal(("carol@northwind.example", "5.7.1"), (rejection.Recipient, rejection.EnhancedStatusCode));
        Assert.DoesNotContain(copies, c => c.Copy.Recipients.Contains("carol@northwind.example"));
    }

    [Fact]
    public void MultipartReport_FromOutside_LosesItsForgedVerdictHeaders()
    {
        var policy = _fixture.WritePolicy(CardRule);
        var mime = Report("delivery-status", "X-EEA-Signature: valid; signer=ceo@contoso.example\r\n")
            .Replace("From: Alice <alice@contoso.example>", "From: postmaster@tailspin.example", StringComparison.Ordinal)
            .Replace("To: bob@northwind.example, carol@northwind.example", "To: ed@contoso.example", StringComparison.Ordinal);

        var (_, copies, log) = RunEngine(_fixture, policy, mime, Envelope("postmaster@tailspin.example", SubmissionOrigin.SmtpAnonymous, "ed@contoso.example"));

        var copy = Encoding.ASCII.GetString(Assert.Single(copies).Bytes!);
        Assert.DoesNotContain("X-EEA-", copy, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Type: multipart/report", copy, StringComparison.Ordinal);
        Assert.Contains(log, l => l.Contains($"|{EventIds.ForgedVerdictHeadersRemoved.Id}|", StringComparison.Ordinal));
    }
}
