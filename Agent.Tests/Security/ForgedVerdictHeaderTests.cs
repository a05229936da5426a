using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Security.SecurityKit;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Item 10: forged verdict headers survived past 10,000 header fields, and only three X-EEA names were stripped on
/// the path without the inbound transform. Every X-EEA-* field from outside is removed now, on every path, over the
/// whole header block.
/// </summary>
[Collection(SecurityAttacks.Name)]
public sealed class ForgedVerdictHeaderTests
{
    private const string Mallory = "mallory@tailspin.example";

    private readonly PipelineFixture _fixture;

    public ForgedVerdictHeaderTests(PipelineFixture fixture) => _fixture = fixture;

    /// <summary>20,000 harmless fields, then forged ones of every spelling, then the rest of the message.</summary>
    private static string Flooded(string rest)
    {
        var builder = new StringBuilder("From: CEO <ceo@contoso.example>\r\nTo: ed@contoso.example\r\nSubject: Wire the money today\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            builder.Append("X-Filler-").Append(i % 7).Append(": ").Append(i).Append("\r\n");
        }

        builder.Append("X-EEA-Signature: valid; signer=ceo@contoso.example\r\n")
            .Append("x-eea-decryption: decrypted\r\n")
            .Append("X-EEA-Policy:\r\n v=1; rules=\"Trusted\"\r\n")
            .Append("X-Eea-Verified-By-IT: yes\r\n");
        return builder.Append(rest).ToString();
    }

    private static void AssertNoneOfOurs(string copy, string? except = null)
    {
        var ours = Regex.Matches(Headers(copy), "^X-EEA-[^:]*:.*$", RegexOptions.Multiline | RegexOptions.IgnoreCase).Select(m => m.Value.TrimEnd('\r')).ToList();
        Assert.Equal(except is null ? Array.Empty<string>() : new[] { except }, ours);
        Assert.Equal(20_000, Regex.Count(Headers(copy), "^X-Filler-", RegexOptions.Multiline));
    }

    [Fact]
    public void NoRuleApplies_ForgedFieldsAfter20000Others_AreRemoved()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Fabrikam gateway" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """);
        var mime = Flooded("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nPay the invoice.\r\n");

        using var run = _fixture.Run(policy, mime, Mallory, "ed@contoso.example");

        var copy = run.CopyFor("ed@contoso.example").ReadAllText();
        AssertNoneOfOurs(copy);
        Assert.EndsWith("\r\n\r\nPay the invoice.\r\n", copy, StringComparison.Ordinal);
        Assert.True(run.Logged(EventIds.ForgedVerdictHeadersRemoved));
    }

    /// <summary>
    /// A line that is not a field inside the header block. The strip used to take it for the start of the body and
    /// left the forged verdict behind it in place, while MimeKit (the rules, and mail clients like it) reads on to the
    /// empty line and shows that verdict as a header field.
    /// </summary>
    [Theory]
    [InlineData("This line is not a header field\r\n")]
    [InlineData("X EEA: a blank inside the name\r\n")]
    [InlineData("no colon here\r\n and a continuation of it\r\n")]
    public void ForgedFieldBehindALineThatIsNotAField_IsRemovedToo(string notAField)
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Fabrikam gateway" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """);
        var mime = "From: CEO <ceo@contoso.example>\r\nTo: ed@contoso.example\r\nSubject: Wire the money today\r\n" + notAField
            + "X-EEA-Signature: valid; signer=ceo@contoso.example\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nPay the invoice.\r\n";

        using var run = _fixture.Run(policy, mime, Mallory, "ed@contoso.example");

        var copy = MimeKit.MimeMessage.Load(new System.IO.MemoryStream(run.CopyFor("ed@contoso.example").ReadAllBytes()));
        Assert.DoesNotContain(copy.Headers, h => h.Field.StartsWith("X-EEA-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Wire the money today", copy.Subject);
        Assert.Equal("Pay the invoice.", copy.TextBody?.Trim());
        Assert.True(run.Logged(EventIds.ForgedVerdictHeadersRemoved));
    }

    [Fact]
    public void InboundVerification_ForgedFieldsAfter20000Others_AreRemoved_AndOnlyOurVerdictRemains()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Verify inbound" Priority="0">
              <Conditions><FromScope>NotInOrganization</FromScope></Conditions>
              <Actions><VerifySmime /></Actions>
            </Rule>
            """);
        // A genuine, valid partner signature by openssl: the forged fields must not ride along on its verdict.
        var content = WriteFile(_fixture, "Content-Type: text/plain\r\n\r\nPay the invoice.\r\n", ".txt");
        var signed = OpenSsl(_fixture, "cms", "-sign", "-in", content, "-signer", "pki/dave.crt", "-inkey", "pki/dave.key", "-outform", "SMIME").StandardOutput;
        var mime = Flooded(Crlf(signed)).Replace("From: CEO <ceo@contoso.example>", "From: Dave <dave@fabrikam.example>", StringComparison.Ordinal);

        using var run = _fixture.Run(policy, mime, "dave@fabrikam.example", "ed@contoso.example");

        var copy = run.CopyFor("ed@contoso.example").ReadAllText();
        var verdicts = Regex.Matches(Headers(copy), "^X-EEA-[^:]*:.*$", RegexOptions.Multiline | RegexOptions.IgnoreCase).Select(m => m.Value.TrimEnd('\r')).ToList();
        // Ours only: the verdict on Dave's real signature and the audit stamp of the internal copy.
        Assert.Equal(2, verdicts.Count);
        Assert.Equal("X-EEA-Signature: valid; signer=dave@fabrikam.example", verdicts.Single(v => v.StartsWith("X-EEA-Signature:", StringComparison.Ordinal)));
        Assert.StartsWith("X-EEA-Policy: v=1; policy=", verdicts.Single(v => v.StartsWith("X-EEA-Policy:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(verdicts, v => v.Contains("ceo@", StringComparison.Ordinal) || v.Contains("Trusted", StringComparison.Ordinal));
        Assert.Equal(20_000, Regex.Count(Headers(copy), "^X-Filler-", RegexOptions.Multiline));
    }

    [Fact]
    public void CopyEncryptedForAPartner_LosesForgedFieldsToo()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Fabrikam gateway" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" HeaderProtection="true" /></Actions>
            </Rule>
            """);
        var mime = Flooded("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nForwarded.\r\n").Replace("To: ed@contoso.example", "To: dave@fabrikam.example", StringComparison.Ordinal);

        using var run = _fixture.Run(policy, mime, Mallory, "dave@fabrikam.example");

        var dave = run.CopyFor("dave@fabrikam.example").ReadAllBytes();
        Assert.DoesNotContain("X-EEA-", Headers(dave), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-EEA-", DecryptWithOpenSsl(_fixture, dave, "fabrikam-gateway"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NoValidPolicy_PassThroughInsecure_StillRemovesForgedFields()
    {
        using var logging = ExchangeEncryptionAgent.Diagnostics.AgentLogging.CreateInMemory(out _);
        var processor = new ExchangeEncryptionAgent.Processing.NoPolicyProcessor(
            new ExchangeEncryptionAgent.Processing.AgentSettings { OnNoValidPolicy = ExchangeEncryptionAgent.Processing.FailureOutcome.PassThroughInsecure }, logging.Log, "test");
        var bytes = Encoding.UTF8.GetBytes(Flooded("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nPay.\r\n"));
        var envelope = new ExchangeEncryptionAgent.Content.MessageEnvelope(Mallory, new[] { new ExchangeEncryptionAgent.Content.EnvelopeRecipientInput("ed@contoso.example", true) });

        using var content = new System.IO.MemoryStream(bytes, writable: false);
        var copy = Assert.Single(processor.Plan(envelope, content, DateTime.UtcNow, System.Threading.CancellationToken.None).Copies);
        var builder = new ExchangeEncryptionAgent.Processing.CopyBuilder(TemporaryFileFactory.InMemory, logging.Log);
        using var output = builder.Build(copy, content, System.Threading.CancellationToken.None);

        Assert.NotNull(output);
        AssertNoneOfOurs(new System.IO.StreamReader(output!).ReadToEnd());
    }
}
