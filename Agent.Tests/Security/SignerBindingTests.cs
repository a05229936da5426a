using System;
using System.IO;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 13: Signer="Sender" picked the personal key by the header From, so anyone who could submit mail got it signed
/// with the CEO's key. A personal key now signs only when the host's authenticated submitter owns it.
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class SignerBindingTests
{
    private const string Ceo = "ceo@contoso.example";

    private readonly PipelineFixture _fixture;
    private readonly string _senderKeys;

    public SignerBindingTests(PipelineFixture fixture)
    {
        _fixture = fixture;
        _senderKeys = IssuePersonalKeys();
    }

    /// <summary>Personal signing certificates for the CEO and Alice under the demo CA; returns the SenderKeys element.</summary>
    private string IssuePersonalKeys()
    {
        var folder = "personal-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(_fixture.Directory, folder));
        var files = string.Empty;
        foreach (var (name, address) in new[] { ("ceo", Ceo), ("alice", Alice) })
        {
            var issued = PkiBuilder.Issue(_fixture.Pki["ca"], new CertificateSpec
            {
                Subject = $"CN={name},O=Contoso",
                Emails = new[] { address },
                EmailInSubject = true,
                KeyUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation,
            });
            File.WriteAllText(Path.Combine(_fixture.Directory, folder, name + ".crt"), issued.CertificatePem);
            File.WriteAllText(Path.Combine(_fixture.Directory, folder, name + ".key"), issued.PrivateKeyPem);
            files += $"""<File Path="{folder}/{name}.crt" KeyFile="{folder}/{name}.key" />""";
        }

        return $"<SenderKeys>{files}</SenderKeys>";
    }

    private string Policy(string signer, string fallback) => _fixture.WritePolicy($"""
        <Rule Name="Sign outbound" Priority="0">
          <Conditions><SentToScope>NotInOrganization</SentToScope></Conditions>
          <Actions><SignSmime Signer="{signer}" Format="Opaque"><Fallback>{fallback}</Fallback></SignSmime></Actions>
        </Rule>
        """, certificates: _senderKeys);

    private static string FromCeo() => TestMessages.Crlf($"""
        From: CEO <{Ceo}>
        To: grace@tailspin.example
        Subject: Approved: wire 2,000,000 to the new account
        Message-ID: <forged-{Guid.NewGuid():N}@contoso.example>
        MIME-Version: 1.0
        Content-Type: text/plain

        Approved.
        """);

    /// <summary>The certificate openssl finds as the signer of an opaque-signed copy (after checking the signature).</summary>
    private string SignerOf(byte[] copy)
    {
        var file = WriteFile(_fixture, copy);
        var signer = "signer-" + Guid.NewGuid().ToString("N") + ".pem";
        OpenSsl(_fixture, "cms", "-verify", "-in", file, "-CAfile", "pki/ca.crt", "-signer", signer, "-purpose", "any");
        return OpenSsl(_fixture, "x509", "-in", signer, "-noout", "-subject", "-ext", "subjectAltName").StandardOutput;
    }

    [Fact]
    public void AuthenticatedInsider_WithAForgedFrom_DoesNotGetTheCeosSignature()
    {
        var policy = Policy("Sender", """<RejectMessage EnhancedStatusCode="5.7.1" />""");

        // Alice authenticated and is held to her own MAIL FROM by Exchange; she wrote the CEO into From.
        using var run = _fixture.RunSubmitted(policy, FromCeo(), Alice, Alice, "grace@tailspin.example");

        Assert.Empty(run.Result.Delivered);
        Assert.Equal("grace@tailspin.example", Assert.Single(run.Result.NonDeliveries).Recipient);
        Assert.True(run.Logged(EventIds.PersonalKeyNotUsed));
    }

    [Theory]
    [InlineData("<>")] // Exchange's word for an anonymous SMTP submitter
    [InlineData("")]   // nobody authenticated at all
    public void UnauthenticatedSubmitter_EvenWithTheCeoAsMailFrom_GetsTheOrganisationKeyAtMost(string authenticator)
    {
        var policy = Policy("SenderOrOrganization", "<DeliverUnsigned />");

        using var run = _fixture.RunSubmitted(policy, FromCeo(), Ceo, authenticator, "grace@tailspin.example");

        var subject = SignerOf(run.CopyFor("grace@tailspin.example").ReadAllBytes());
        Assert.Contains("Contoso Mail Gateway", subject, StringComparison.Ordinal);
        Assert.DoesNotContain(Ceo, subject, StringComparison.Ordinal);
        Assert.True(run.Logged(EventIds.PersonalKeyNotUsed));
    }

    [Fact]
    public void TheOwner_AuthenticatedAsThemselves_IsSignedWithTheirOwnKey()
    {
        var policy = Policy("Sender", """<RejectMessage EnhancedStatusCode="5.7.1" />""");

        using var run = _fixture.RunSubmitted(policy, FromCeo(), Ceo, Ceo, "grace@tailspin.example");

        Assert.Empty(run.Result.NonDeliveries);
        Assert.Contains(Ceo, SignerOf(run.CopyFor("grace@tailspin.example").ReadAllBytes()), StringComparison.Ordinal);
        Assert.False(run.Logged(EventIds.PersonalKeyNotUsed));
    }
}
