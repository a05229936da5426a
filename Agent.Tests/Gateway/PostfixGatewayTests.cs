using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Tests.Support;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// End to end through a real Postfix with `eea gateway` as its content filter, the demo policy, and smtp-sink as
/// the destination: what leaves is checked with openssl, never with our own code.
/// </summary>
public sealed class PostfixGatewayTests : IClassFixture<PostfixGatewayFixture>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(120);
    private readonly PostfixGatewayFixture _fixture;

    public PostfixGatewayTests(PostfixGatewayFixture fixture) => _fixture = fixture;

    [Fact]
    public void Outbound_EncryptsForBob_SignsForZed_AndReturnsADsnForCarolOnly()
    {
        var marker = Guid.NewGuid().ToString("N");
        var mime = $"From: Alice <alice@contoso.example>\r\nTo: bob@northwind.example, carol@northwind.example, zed@other.example\r\n"
            + $"Subject: quarterly {marker}\r\nMessage-ID: <{marker}@contoso.example>\r\n\r\nHello {marker}\r\n.a line that starts with a dot\r\n";

        PostfixGatewayFixture.Send(_fixture.EntryPort, "alice@contoso.example", new[] { "bob@northwind.example", "carol@northwind.example", "zed@other.example" }, mime);

        var arrived = WaitForDelivered(marker, 3);
        Assert.DoesNotContain(arrived, m => m.Recipients.Contains("carol@northwind.example"));

        // Bob: an enveloped copy that openssl opens with Bob's key, and that carries no plain text.
        var bob = Assert.Single(arrived, m => m.Recipients.SequenceEqual(new[] { "bob@northwind.example" }));
        Assert.DoesNotContain("Hello " + marker, bob.Text, StringComparison.Ordinal);
        var decrypted = OpenSsl("cms", "-decrypt", "-inform", "SMIME", "-in", Save(bob, "bob.eml"), "-recip", Pki("bob.crt"), "-inkey", Pki("bob.key"));
        Assert.True(decrypted.ExitCode == 0, decrypted + _fixture.Diagnostics());
        Assert.Contains("Hello " + marker, decrypted.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\n.a line that starts with a dot", decrypted.StandardOutput, StringComparison.Ordinal);

        // Zed: an organisation-signed copy that openssl verifies against the CA.
        var zed = Assert.Single(arrived, m => m.Recipients.SequenceEqual(new[] { "zed@other.example" }));
        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", Save(zed, "zed.eml"), "-CAfile", Pki("ca.crt"));
        Assert.True(verified.ExitCode == 0, verified + _fixture.Diagnostics());
        Assert.Contains("Hello " + marker, verified.StandardOutput, StringComparison.Ordinal);

        // Alice: an RFC 3464 DSN from <> naming Carol alone, without the body that was refused.
        var dsn = Assert.Single(arrived, m => m.Recipients.SequenceEqual(new[] { "alice@contoso.example" }));
        Assert.Equal(string.Empty, dsn.MailFrom);
        using var report = MimeMessage.Load(new MemoryStream(dsn.Content));
        var multipart = Assert.IsType<MultipartReport>(report.Body);
        Assert.Equal("delivery-status", multipart.ReportType);
        var status = Assert.Single(multipart.OfType<MessageDeliveryStatus>());
        Assert.Equal("dns; gateway.eea.test", status.StatusGroups[0]["Reporting-MTA"]);
        var perRecipient = status.StatusGroups.Skip(1).Where(g => g.Contains("Final-Recipient")).ToList();
        var carol = Assert.Single(perRecipient);
        Assert.Equal("rfc822; carol@northwind.example", carol["Final-Recipient"]);
        Assert.Equal("failed", carol["Action"]);
        Assert.Equal("5.7.1", carol["Status"]);
        Assert.DoesNotContain("Hello " + marker, dsn.Text, StringComparison.Ordinal);
        Assert.Contains(_fixture.Gateway.Lines, l => l.Contains(" 5005 GatewayDeliveryStatusSent", StringComparison.Ordinal) && l.Contains("carol@northwind.example", StringComparison.Ordinal));
    }

    [Fact]
    public void ForcedTls_StaysQueuedWhileTheDestinationOffersNoTls_AndIsDeliveredOverVerifiedTlsOnceItDoes()
    {
        var marker = Guid.NewGuid().ToString("N");
        _fixture.Postfix.SetServiceParameter(_fixture.TlsDestinationService, "smtpd_tls_security_level", "none");
        try
        {
            // Confidential to an outsider without a certificate: the demo policy's fallback is RouteRequireTls.
            PostfixGatewayFixture.Send(_fixture.EntryPort, "alice@contoso.example", new[] { "eve@other.example" },
                $"From: alice@contoso.example\r\nTo: eve@other.example\r\nSubject: confidential {marker}\r\n\r\nThe numbers {marker}\r\n");

            var held = Poll.Until(
                () => _fixture.Postfix.Queue().FirstOrDefault(q => q.Recipients.Any(r => r.Address == "eve@other.example" && r.DelayReason.Contains("TLS", StringComparison.Ordinal))),
                Delivery, () => "Postfix to hold the forced-TLS copy for want of TLS\n" + _fixture.Diagnostics());
            Assert.Contains(held.Recipients, r => r.DelayReason.Contains("TLS is required, but was not offered", StringComparison.Ordinal));
            Assert.Empty(_fixture.Sink.MessagesWith(marker));
        }
        finally
        {
            _fixture.Postfix.SetServiceParameter(_fixture.TlsDestinationService, "smtpd_tls_security_level", "may");
        }

        _fixture.Postfix.Flush();
        var delivered = Assert.Single(WaitForDelivered(marker, 1));
        Assert.Equal(new[] { "eve@other.example" }, delivered.Recipients);

        // The hop into the destination was ESMTPS, and Postfix verified the destination's certificate.
        Assert.Contains("with ESMTPS", delivered.Text, StringComparison.Ordinal);
        Assert.Contains($"Verified TLS connection established to 127.0.0.1[127.0.0.1]:{_fixture.TlsDestinationPort}", _fixture.Postfix.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inbound_EncryptedFromTheInternet_IsDeliveredDecrypted()
    {
        var marker = Guid.NewGuid().ToString("N");
        var entity = Path.Combine(_fixture.Directory, $"entity-{marker}.txt");
        File.WriteAllText(entity, $"Content-Type: text/plain; charset=us-ascii\r\n\r\nInbound secret {marker}\r\n");
        // AES-GCM (authEnveloped-data): authenticated, so delivered in line. Unsigned AES-CBC content would be attached
        // instead (UnsignedCbcContent, the EFAIL defence), which the agent's own tests cover.
        var encrypted = OpenSsl("cms", "-encrypt", "-aes-256-gcm", "-in", entity, "-binary", Pki("contoso-decryption.crt"));
        Assert.True(encrypted.ExitCode == 0, encrypted.ToString());
        var mime = $"From: dave@fabrikam.example\r\nTo: alice@contoso.example\r\nSubject: inbound {marker}\r\n" + encrypted.StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

        PostfixGatewayFixture.Send(_fixture.InternetEntryPort, "dave@fabrikam.example", new[] { "alice@contoso.example" }, mime);

        var delivered = Assert.Single(WaitForDelivered(marker, 1, m => m.Text.Contains("Inbound secret " + marker, StringComparison.Ordinal)));
        Assert.Equal(new[] { "alice@contoso.example" }, delivered.Recipients);
        Assert.DoesNotContain("application/pkcs7-mime", delivered.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ForgedInternalSender_FromTheInternet_IsNotSignedWithTheOrganisationKey()
    {
        // Anyone can write alice@contoso.example into MAIL FROM and From; the listener says the Internet, so the
        // "Sign all outbound" rule (FromScope InOrganization) must not lend the organisation's signature.
        var marker = Guid.NewGuid().ToString("N");
        PostfixGatewayFixture.Send(_fixture.InternetEntryPort, "alice@contoso.example", new[] { "zed@other.example" },
            $"From: alice@contoso.example\r\nTo: zed@other.example\r\nSubject: forged {marker}\r\n\r\nPlease pay {marker}\r\n");

        var delivered = Assert.Single(WaitForDelivered(marker, 1));
        Assert.DoesNotContain("multipart/signed", delivered.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pkcs7", delivered.Text, StringComparison.OrdinalIgnoreCase);
    }

    private System.Collections.Generic.List<SinkMessage> WaitForDelivered(string marker, int count, Func<SinkMessage, bool>? match = null)
    {
        match ??= m => m.Text.Contains(marker, StringComparison.Ordinal);
        System.Collections.Generic.List<SinkMessage>? previous = null;
        return Poll.Until(() =>
        {
            // Complete when Postfix has nothing left for this message and two reads of the dumps agree.
            var current = _fixture.Sink.Messages().Where(match).ToList();
            var stable = previous is not null && current.Count == previous.Count && current.Sum(m => m.Content.Length) == previous.Sum(m => m.Content.Length);
            previous = current;
            return current.Count >= count && stable && !_fixture.Postfix.Queue().Any(q => q.Recipients.Count > 0 && q.QueueName != "deferred") ? current : null;
        }, Delivery, () => $"{count} message(s) marked {marker} at the sink\n" + _fixture.Diagnostics());
    }

    private string Save(SinkMessage message, string name)
    {
        var path = Path.Combine(_fixture.Directory, Guid.NewGuid().ToString("N") + "-" + name);
        File.WriteAllBytes(path, message.Content);
        return path;
    }

    private string Pki(string file) => Path.Combine(_fixture.Directory, "pki", file);

    private ExternalTool.Result OpenSsl(params string[] arguments) => ExternalTool.OpenSsl(_fixture.Directory, arguments);
}
