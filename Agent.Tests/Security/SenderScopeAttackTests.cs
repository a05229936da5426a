using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Security item 9: outsiders must not become insiders. An anonymous Internet sender writes the organisation's domain
/// into From or MAIL FROM (or a subdomain of it, or the null reverse path) and brings its own "valid" verdict, on a
/// message really signed with openssl by someone else. Only the host's word makes a sender internal, so the forged
/// X-EEA fields are stripped and the inbound verification rule runs and gives its own verdict.
/// </summary>
public sealed class SenderScopeAttackTests : IClassFixture<PipelineFixture>
{
    private const string Forged = "valid; signer=ceo@contoso.example";

    private const string InboundRules = """
        <Rule Name="Verify inbound signatures" Priority="0">
          <Conditions>
            <FromScope>NotInOrganization</FromScope>
            <SentToScope>InOrganization</SentToScope>
          </Conditions>
          <Actions><VerifySmime /></Actions>
        </Rule>
        <Rule Name="Mark mail from inside" Priority="1">
          <Conditions><FromScope>InOrganization</FromScope></Conditions>
          <Actions><SetHeader Name="X-Test-Inside" Value="yes" /></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public SenderScopeAttackTests(PipelineFixture fixture) => _fixture = fixture;

    /// <summary>A clear-signed message by Ivy (Northwind), From the CEO, with a forged verdict and audit stamp on top.</summary>
    private byte[] AttackMessage()
    {
        var name = "attack-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(_fixture.Directory, name + ".txt"), "Content-Type: text/plain\r\n\r\nWire 2 million to the account below today.\r\n");
        var signed = ExternalTool.OpenSsl(_fixture.Directory, "cms", "-sign", "-in", name + ".txt", "-signer", "pki/ivy.crt", "-inkey", "pki/ivy.key",
            "-from", "CEO <ceo@contoso.example>", "-to", "ed@contoso.example", "-subject", "Urgent wire", "-crlfeol", "-outform", "SMIME", "-out", name + ".eml");
        Assert.True(signed.ExitCode == 0, signed.ToString());
        var text = "X-EEA-Signature: " + Forged + "\r\nX-EEA-Policy: v=1; rules=\"trusted\"\r\nX-EEA-Decryption: decrypted\r\n"
            + File.ReadAllText(Path.Combine(_fixture.Directory, name + ".eml"), Encoding.Latin1);
        return Encoding.Latin1.GetBytes(text);
    }

    [Theory]
    [InlineData("<>")]
    [InlineData("ceo@contoso.example")]
    [InlineData("ceo@mail.contoso.example")]
    public void AnonymousSender_WithTheOrganisationsDomain_IsOutside_ForgedVerdictStripped_InboundRulesRun(string mailFrom)
    {
        var policy = _fixture.WritePolicy(InboundRules);

        using var run = _fixture.Run(policy, AttackMessage(), SimulatedOrigin.SmtpAnonymous, mailFrom, "ed@contoso.example");

        var copy = run.CopyFor("ed@contoso.example").ReadAllText();
        var headers = copy[..copy.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain(Forged, headers, StringComparison.Ordinal);
        Assert.DoesNotContain("rules=\"trusted\"", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("X-EEA-Decryption", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Test-Inside", headers, StringComparison.Ordinal);

        // The verification rule ran and wrote the agent's own verdict on Ivy's signature.
        var verdict = headers.Split("\r\n").Single(l => l.StartsWith("X-EEA-Signature:", StringComparison.Ordinal));
        Assert.DoesNotContain("ceo@contoso.example", verdict, StringComparison.Ordinal);
        Assert.True(run.Logged(EventIds.SignatureValid) || run.Logged(EventIds.SignatureInvalid) || run.Logged(EventIds.SignatureUntrusted), string.Join("\n", run.Log));
    }

    [Theory]
    [InlineData(SimulatedOrigin.Mailbox)]
    [InlineData(SimulatedOrigin.SmtpAuthenticated)]
    [InlineData(SimulatedOrigin.Pickup)]
    public void HostSaysInside_FromScopeInOrganization(SimulatedOrigin origin)
    {
        var policy = _fixture.WritePolicy(InboundRules);
        var plain = Encoding.ASCII.GetBytes("From: alice@contoso.example\r\nTo: ed@contoso.example\r\nSubject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello.\r\n");

        using var run = _fixture.Run(policy, plain, origin, "alice@contoso.example", "ed@contoso.example");

        var copy = run.CopyFor("ed@contoso.example").ReadAllText();
        Assert.Contains("X-Test-Inside: yes", copy, StringComparison.Ordinal);
        Assert.DoesNotContain("X-EEA-Signature", copy, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalRelayRecipient_IsOutside_ThoughExchangeCallsItInSameOrganization()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Outside" Priority="0">
              <Conditions><SentToScope>NotInOrganization</SentToScope></Conditions>
              <Actions><SetHeader Name="X-Test-Outside" Value="yes" /></Actions>
            </Rule>
            """);
        var options = new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.example" }, ExternalRelayDomains = new[] { "relay.example" } };
        var plain = Encoding.ASCII.GetBytes("From: alice@contoso.example\r\nTo: x@relay.example\r\nSubject: hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello.\r\n");

        using var run = _fixture.RunWith(options, policy, plain, SimulatedOrigin.Mailbox, "alice@contoso.example", "x@relay.example", "ed@contoso.example");

        Assert.Contains("X-Test-Outside: yes", run.CopyFor("x@relay.example").ReadAllText(), StringComparison.Ordinal);
        Assert.DoesNotContain("X-Test-Outside", run.CopyFor("ed@contoso.example").ReadAllText(), StringComparison.Ordinal);
    }
}
