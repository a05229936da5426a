using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeApi.Simulator.Tests;
using MimeKit;
using Microsoft.Exchange.Data.Transport;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>Policy, certificates, S/MIME and the Exchange adapter together, through the simulated transport.</summary>
public sealed class PipelineTests : IClassFixture<PipelineFixture>
{
    private const string Alice = "alice@contoso.example";

    private const string PartnerRules = """
        <Rule Name="Fabrikam gateway" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway"><Fallback><RouteRequireTls /></Fallback></EncryptSmime></Actions>
        </Rule>
        <Rule Name="Northwind personal" Priority="1">
          <Conditions><RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Personal"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        <Rule Name="Tailspin over TLS" Priority="2">
          <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime><Fallback><RouteRequireTls /></Fallback></EncryptSmime></Actions>
        </Rule>
        """;

    /// <summary>These tests read the audit stamp on copies for outside recipients, which is an opt-in.</summary>
    private const string StampOutsideCopies = """<AuditHeader OutsideCopies="true" />""";

    private readonly PipelineFixture _fixture;

    public PipelineTests(PipelineFixture fixture) => _fixture = fixture;

    private static string Message(string to, string subject = "Quarterly figures", string extraHeaders = "", string body = "The figures are attached.")
        => TestMessages.Crlf($"""
            From: Alice <alice@contoso.example>
            To: {to}
            Subject: {subject}
            Message-ID: <pipeline-{Guid.NewGuid():N}@contoso.example>
            MIME-Version: 1.0
            {extraHeaders}Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            {body}
            """);

    [Fact]
    public void MixedRecipients_GetTheRightCopiesNdrsAndRoutes_AndNoMustEncryptCopyIsPlain()
    {
        var policy = _fixture.WritePolicy(PartnerRules, settings: StampOutsideCopies);
        var mime = Message("dave@fabrikam.example, carol@northwind.example, frank@tailspin.example, ed@contoso.example", body: "Gr\u00fc\u00dfe, the numbers.");

        using var run = _fixture.Run(policy, mime, Alice, "dave@fabrikam.example", "carol@northwind.example", "frank@tailspin.example", "ed@contoso.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.Equal(0, run.SpoolFilesLeft);

        // Partner with a gateway certificate: encrypted to it (and the recovery certificate), entity intact.
        var dave = run.CopyFor("dave@fabrikam.example").ReadAllBytes();
        Assert.Contains("smime-type=enveloped-data", HeaderText(dave), StringComparison.Ordinal);
        Assert.Equal(new[] { "fabrikam-gateway", "recovery" }, _fixture.Recipients(dave));
        var entity = Encoding.UTF8.GetString(_fixture.Decrypt(dave, "fabrikam-gateway"));
        Assert.Equal("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe, the numbers.\r\n", entity);
        Assert.Contains("X-EEA-Policy: v=1;", HeaderText(dave), StringComparison.Ordinal);

        // Partner without a certificate, fallback reject: an NDR naming what was missing.
        var ndr = Assert.Single(run.Result.NonDeliveries);
        Assert.Equal(("carol@northwind.example", "550", "5.7.1"), (ndr.Recipient, ndr.StatusCode, ndr.EnhancedStatusCode));
        Assert.Contains("no personal certificate for carol@northwind.example", ndr.StatusText, StringComparison.Ordinal);

        // No certificate, fallback forced TLS: plain text, but only through the forced-TLS connector, to its own MX.
        var frank = run.CopyFor("frank@tailspin.example");
        var route = frank.Recipient("frank@tailspin.example").RoutingOverride;
        Assert.Equal("forcetls.contoso.example", route?.RoutingDomain);
        Assert.Equal(DeliveryQueueDomain.UseRecipientDomain, route?.DeliveryQueueDomain);
        Assert.Contains("outcome=fallback-route-require-tls forced-tls", frank.ReadAllText(), StringComparison.Ordinal);

        // Internal recipient: nothing applied, nothing changed.
        Assert.Equal(mime, run.CopyFor("ed@contoso.example").ReadAllText());
        Assert.True(run.Logged(EventIds.ProtectionFallback));
        Assert.True(run.Logged(EventIds.RecipientRejected));
    }

    [Fact]
    public void BlindCopyRecipients_GetTheirOwnEnvelopes()
    {
        var policy = _fixture.WritePolicy(PartnerRules);

        using var run = _fixture.Run(policy, Message("bob@northwind.example"), Alice, "bob@northwind.example", "ivy@northwind.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.Equal(2, run.Result.Delivered.Count);
        Assert.Equal(new[] { "bob", "recovery" }, _fixture.Recipients(run.CopyFor("bob@northwind.example").ReadAllBytes()));
        Assert.Equal(new[] { "ivy", "recovery" }, _fixture.Recipients(run.CopyFor("ivy@northwind.example").ReadAllBytes()));
    }

    [Fact]
    public void VisibleRecipientsWithTheSameTreatment_ShareOneCopy()
    {
        var policy = _fixture.WritePolicy(PartnerRules);

        using var run = _fixture.Run(policy, Message("bob@northwind.example, ivy@northwind.example"), Alice, "bob@northwind.example", "ivy@northwind.example");

        var copy = Assert.Single(run.Result.Delivered);
        Assert.Equal(new[] { "bob", "ivy", "recovery" }, _fixture.Recipients(copy.ReadAllBytes()));
    }

    [Fact]
    public void SignAndEncrypt_SignsFirst_AndPartnerAlgorithmsApply()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Sign and encrypt" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><SignSmime OrganizationKey="contoso-signing" /><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """, settings: StampOutsideCopies, certificates: """<Partners><Partner Domain="fabrikam.example" ContentEncryption="Aes128Cbc" KeyTransport="RsaOaepSha256" /></Partners>""");

        using var run = _fixture.Run(policy, Message("dave@fabrikam.example"), Alice, "dave@fabrikam.example");

        var copy = run.CopyFor("dave@fabrikam.example").ReadAllBytes();
        var inner = Encoding.ASCII.GetString(_fixture.Decrypt(copy, "fabrikam-gateway"));
        Assert.StartsWith("Content-Type: multipart/signed;", inner, StringComparison.Ordinal);
        Assert.Contains("protocol=\"application/pkcs7-signature\"", inner, StringComparison.Ordinal);
        Assert.Contains("outcome=encrypted signed", HeaderText(copy), StringComparison.Ordinal);
    }

    [Fact]
    public void GcmPartner_GetsAuthEnvelopedData()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="GCM partner" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """, certificates: """<Partners><Partner Domain="fabrikam.example" ContentEncryption="Aes256Gcm" /></Partners>""");

        using var run = _fixture.Run(policy, Message("dave@fabrikam.example"), Alice, "dave@fabrikam.example");

        Assert.Contains("smime-type=authEnveloped-data", run.CopyFor("dave@fabrikam.example").ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void AlreadyEncryptedMail_IsNotEncryptedAgain()
    {
        var policy = _fixture.WritePolicy(PartnerRules, settings: StampOutsideCopies);
        var encrypted = TestMessages.Crlf("""
            From: alice@contoso.example
            To: dave@fabrikam.example
            Subject: already protected
            MIME-Version: 1.0
            Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
            Content-Transfer-Encoding: base64

            MIAGCSqGSIb3DQEHA6CAMIACAQAxggEiMIIBHgIBADAGMAACAQAwDQYJKoZIhvcNAQEBBQAE
            """);

        using var run = _fixture.Run(policy, encrypted, Alice, "dave@fabrikam.example");

        var copy = run.CopyFor("dave@fabrikam.example").ReadAllText();
        Assert.EndsWith("MIAGCSqGSIb3DQEHA6CAMIACAQAxggEiMIIBHgIBADAGMAACAQAwDQYJKoZIhvcNAQEBBQAE\r\n", copy, StringComparison.Ordinal);
        Assert.Contains("outcome=already-encrypted", copy, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderActionsAndReject_WorkEndToEndThroughTheAgent()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Tag external" Priority="0">
              <Conditions><SentToScope>NotInOrganization</SentToScope></Conditions>
              <Actions>
                <SetHeader Name="X-Classification" Value="external" />
                <RemoveHeader Name="X-Internal-Note" />
                <PrependSubject Text="[EXT] " />
              </Actions>
            </Rule>
            <Rule Name="No mail to the competitor" Priority="1">
              <Conditions><RecipientDomainIs><Value>competitor.example</Value></RecipientDomainIs></Conditions>
              <Actions><RejectMessage EnhancedStatusCode="5.7.950" Reason="Mail to competitor.example is blocked" /></Actions>
            </Rule>
            """);
        var mime = Message("grace@tailspin.example, zed@competitor.example, ed@contoso.example", extraHeaders: "X-Internal-Note: keep inside\r\n");

        using var run = _fixture.Run(policy, mime, Alice, "grace@tailspin.example", "zed@competitor.example", "ed@contoso.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        var external = MimeMessage.Load(run.CopyFor("grace@tailspin.example").OpenRead());
        Assert.Equal("[EXT] Quarterly figures", external.Subject);
        Assert.Equal("external", external.Headers["X-Classification"]);
        Assert.Null(external.Headers["X-Internal-Note"]);
        var ndr = Assert.Single(run.Result.NonDeliveries);
        Assert.Equal(("zed@competitor.example", "5.7.950", "Mail to competitor.example is blocked"), (ndr.Recipient, ndr.EnhancedStatusCode, ndr.StatusText));
        Assert.Equal(mime, run.CopyFor("ed@contoso.example").ReadAllText());
    }

    [Fact]
    public void AuditRules_ChangeNothing_ButAreLogged()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Try encrypting Fabrikam" Priority="0" Mode="Audit">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """);
        var mime = Message("dave@fabrikam.example");

        using var run = _fixture.Run(policy, mime, Alice, "dave@fabrikam.example");

        Assert.Equal(mime, run.CopyFor("dave@fabrikam.example").ReadAllText());
        Assert.True(run.Logged(EventIds.AuditRuleMatched));
    }

    [Fact]
    public void MissingSigningKey_FallsBackAsTheRuleSays()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Sign as sender" Priority="0">
              <Conditions><SentToScope>NotInOrganization</SentToScope></Conditions>
              <Actions><SignSmime Signer="Sender"><Fallback><DeliverUnsigned /></Fallback></SignSmime></Actions>
            </Rule>
            """, settings: StampOutsideCopies);

        using var run = _fixture.Run(policy, Message("grace@tailspin.example"), Alice, "grace@tailspin.example");

        var copy = run.CopyFor("grace@tailspin.example").ReadAllText();
        Assert.Contains("Content-Type: text/plain", copy, StringComparison.Ordinal);
        Assert.Contains("outcome=fallback-deliver-unsigned", copy, StringComparison.Ordinal);
        Assert.True(run.Logged(EventIds.ProtectionFallback));
    }

    [Fact]
    public void DeferFallback_DefersOnlyThatRecipient()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Tailspin later" Priority="0">
              <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime><Fallback><DeferMessage RetryAfter="PT15M" /></Fallback></EncryptSmime></Actions>
            </Rule>
            """);

        using var run = _fixture.Run(policy, Message("grace@tailspin.example, ed@contoso.example"), Alice, "grace@tailspin.example", "ed@contoso.example");

        var deferral = Assert.Single(run.Result.Deferrals);
        Assert.Equal(new[] { "grace@tailspin.example" }, deferral.Recipients);
        Assert.Equal(TimeSpan.FromMinutes(15), deferral.WaitTime);
        Assert.Single(run.Result.Delivered, c => c.RecipientAddresses.SequenceEqual(new[] { "ed@contoso.example" }));
    }

    [Fact]
    public void InsecureOptIn_DeliversPlainText_AndSaysSoLoudly()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Best effort" Priority="0">
              <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime><Fallback><DeliverInPlainTextInsecure /></Fallback></EncryptSmime></Actions>
            </Rule>
            """, settings: StampOutsideCopies);

        using var run = _fixture.Run(policy, Message("grace@tailspin.example"), Alice, "grace@tailspin.example");

        Assert.Contains("outcome=insecure-plain-text", run.CopyFor("grace@tailspin.example").ReadAllText(), StringComparison.Ordinal);
        Assert.True(run.Logged(EventIds.InsecurePlainTextDelivery));
    }

    [Fact]
    public void ForgedVerdictHeaders_FromOutside_AreRemoved()
    {
        var policy = _fixture.WritePolicy(PartnerRules);
        var mime = TestMessages.Crlf("""
            From: mallory@tailspin.example
            To: ed@contoso.example
            Subject: pay now
            X-EEA-Signature: valid; signer=ceo@contoso.example
            X-EEA-Policy: v=1; rules="trusted"
            MIME-Version: 1.0
            Content-Type: text/plain

            Pay.
            """);

        using var run = _fixture.Run(policy, mime, "mallory@tailspin.example", "ed@contoso.example");

        var copy = run.CopyFor("ed@contoso.example").ReadAllText();
        Assert.DoesNotContain("X-EEA-", copy, StringComparison.Ordinal);
        Assert.EndsWith("Pay.\r\n", copy, StringComparison.Ordinal);
    }

    private static string HeaderText(byte[] message)
    {
        var text = Encoding.ASCII.GetString(message);
        return text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
    }
}
