using System;
using System.Text;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 2: "already encrypted" was trusted from the label. A multipart/encrypted wrapper around plain text and an
/// S/MIME v2 opaque-signed message (readable by anyone) went out in plain text to must-encrypt recipients, skipping
/// even the reject fallback. The content decides now: CMS EnvelopedData/AuthEnvelopedData, or RFC 3156 PGP/MIME.
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class EncryptedLabelTests
{
    private const string MustEncrypt = """
        <Rule Name="Partners must get ciphertext" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value><Value>northwind.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="PersonalOrGateway"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        """;

    private const string Secret = "The merger closes on Friday at 41.50 per share.";

    private readonly PipelineFixture _fixture;

    public EncryptedLabelTests(PipelineFixture fixture) => _fixture = fixture;

    /// <summary>An opaque-signed entity made by openssl (signed-data, content inside, readable by anyone).</summary>
    private string OpaqueSignedByOpenSsl(string contentTypeLabel)
    {
        var content = WriteFile(_fixture, $"Content-Type: text/plain\r\n\r\n{Secret}\r\n", ".txt");
        var smime = OpenSsl(_fixture, "cms", "-sign", "-nodetach", "-in", content, "-signer", "pki/contoso-signing.crt", "-inkey", "pki/contoso-signing.key", "-outform", "SMIME").StandardOutput;
        // openssl labels it "application/pkcs7-mime; smime-type=signed-data"; S/MIME v2 senders wrote no smime-type.
        var relabelled = smime.Replace("application/pkcs7-mime; smime-type=signed-data;", contentTypeLabel, StringComparison.Ordinal);
        Assert.NotEqual(smime, relabelled);
        var body = relabelled[relabelled.IndexOf("Content-Type:", StringComparison.Ordinal)..].Replace("MIME-Version: 1.0\n", string.Empty, StringComparison.Ordinal);
        return Crlf($"From: Alice <alice@contoso.example>\nTo: dave@fabrikam.example, carol@northwind.example\nSubject: Terms\nMIME-Version: 1.0\n{body}");
    }

    [Theory]
    [InlineData("application/x-pkcs7-mime;")]                          // S/MIME v2: no smime-type at all
    [InlineData("application/pkcs7-mime; smime-type=enveloped-data;")] // a label that lies outright
    public void OpaqueSignedMessage_IsNotEncrypted_SoMustEncryptRecipientsGetCiphertextOrAReject(string label)
    {
        var policy = _fixture.WritePolicy(MustEncrypt);
        var mime = OpaqueSignedByOpenSsl(label);
        // The attack's premise: anyone can read the secret out of the signed-data with openssl, no key needed.
        Assert.Contains(Secret, OpenSsl(_fixture, "cms", "-verify", "-noverify", "-in", WriteFile(_fixture, mime)).StandardOutput, StringComparison.Ordinal);

        using var run = _fixture.Run(policy, mime, Alice, "dave@fabrikam.example", "carol@northwind.example");

        Assert.True(run.Result.Healthy, run.Result.ToString());
        var dave = run.CopyFor("dave@fabrikam.example").ReadAllBytes();
        Assert.Contains("smime-type=enveloped-data", Headers(dave), StringComparison.Ordinal);
        var inner = DecryptWithOpenSsl(_fixture, dave, "fabrikam-gateway");
        Assert.Contains("pkcs7-mime", inner, StringComparison.Ordinal); // the sender's signed entity, now inside an envelope
        var ndr = Assert.Single(run.Result.NonDeliveries);
        Assert.Equal("carol@northwind.example", ndr.Recipient);
    }

    [Fact]
    public void FakeMultipartEncrypted_AroundPlainText_IsEncryptedOrRejected()
    {
        var policy = _fixture.WritePolicy(MustEncrypt);
        var mime = TestMessages.Crlf($"""
            From: Alice <alice@contoso.example>
            To: dave@fabrikam.example, carol@northwind.example
            Subject: Terms
            MIME-Version: 1.0
            Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"

            --e
            Content-Type: application/pgp-encrypted

            Version: 1
            --e
            Content-Type: application/octet-stream

            -----BEGIN PGP MESSAGE-----

            {Secret}
            -----END PGP MESSAGE-----
            --e--
            """);

        using var run = _fixture.Run(policy, mime, Alice, "dave@fabrikam.example", "carol@northwind.example");

        var dave = run.CopyFor("dave@fabrikam.example").ReadAllBytes();
        Assert.DoesNotContain(Secret, Encoding.ASCII.GetString(dave), StringComparison.Ordinal);
        Assert.Contains(Secret, DecryptWithOpenSsl(_fixture, dave, "fabrikam-gateway"), StringComparison.Ordinal);
        Assert.Equal("carol@northwind.example", Assert.Single(run.Result.NonDeliveries).Recipient);
    }

    [Fact]
    public void RealEnvelopedDataFromOpenSsl_StillPassesAsAlreadyEncrypted()
    {
        var policy = _fixture.WritePolicy(MustEncrypt);
        var content = WriteFile(_fixture, $"Content-Type: text/plain\r\n\r\n{Secret}\r\n", ".txt");
        var smime = OpenSsl(_fixture, "cms", "-encrypt", "-aes256", "-in", content, "-outform", "SMIME", "pki/bob.crt").StandardOutput;
        var mime = Crlf("From: Alice <alice@contoso.example>\nTo: bob@northwind.example\nSubject: Terms\n" + smime);

        using var run = _fixture.Run(policy, mime, Alice, "bob@northwind.example");

        Assert.Empty(run.Result.NonDeliveries);
        var bob = run.CopyFor("bob@northwind.example").ReadAllBytes();
        Assert.Equal(mime, Encoding.ASCII.GetString(bob)); // end-to-end ciphertext left as the sender made it
        Assert.Contains(Secret, DecryptWithOpenSsl(_fixture, bob, "bob"), StringComparison.Ordinal);
    }
}
