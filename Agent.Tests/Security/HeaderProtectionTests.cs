using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9, item 5: with header protection, what a user or an attacker puts in the header must not ride outside the
/// encryption, and blind copies must stay blind inside it. A message written as Outlook and labelling tools write it
/// (Thread-Topic repeating the subject, Keywords, msip_labels, X- fields, Bcc) goes through the real agent in the
/// simulated transport; every copy is decrypted with openssl, not with our code.
/// </summary>
public sealed class HeaderProtectionTests : IClassFixture<PipelineFixture>
{
    private const string Alice = "alice@contoso.example";
    private const string SecretSubject = "Project Nightingale acquisition terms";

    private const string Rules = """
        <Rule Name="Fabrikam gateway" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway" HeaderProtection="true" SubjectPlaceholder="Encrypted message" /></Actions>
        </Rule>
        <Rule Name="Northwind personal" Priority="1">
          <Conditions><RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Personal" HeaderProtection="true" SubjectPlaceholder="Encrypted message" /></Actions>
        </Rule>
        """;

    /// <summary>Fields that say what the message is about; none may be readable without the key.</summary>
    private static readonly string[] RevealingFields = { "Thread-Topic", "Thread-Index", "Keywords", "msip_labels", "X-Project", "X-EEA-Policy", "Importance", "Bcc" };

    private readonly PipelineFixture _fixture;

    public HeaderProtectionTests(PipelineFixture fixture) => _fixture = fixture;

    private static string Message() => TestMessages.Crlf($"""
        Received: from client.contoso.example by ex01.contoso.example; Tue, 1 Dec 2026 10:00:00 +0000
        X-MS-Exchange-Organization-AuthAs: Internal
        From: Alice <alice@contoso.example>
        To: Dave <dave@fabrikam.example>
        Cc: Carol <carol@fabrikam.example>
        Bcc: Bob <bob@northwind.example>, Ivy <ivy@northwind.example>
        Subject: {SecretSubject}
        Thread-Topic: {SecretSubject}
        Thread-Index: AdtD1nightingale==
        Keywords: acquisition, confidential
        msip_labels: MSIP_Label_f42aa342_Enabled=true; MSIP_Label_f42aa342_Name=Strictly Confidential
        X-Project: Nightingale
        Importance: high
        Date: Tue, 1 Dec 2026 10:00:00 +0000
        Message-ID: <hp-{Guid.NewGuid():N}@contoso.example>
        In-Reply-To: <earlier@contoso.example>
        References: <earlier@contoso.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        The offer is 41 million.
        """);

    [Fact]
    public void Outside_OnlyTransportFieldsAndThePlaceholder_RemainOnEveryCopy()
    {
        using var run = RunAttack();

        Assert.Equal(3, run.Result.Delivered.Count);
        foreach (var copy in run.Result.Delivered)
        {
            var outer = HeaderOf(copy.ReadAllText());
            Assert.Contains("Subject: Encrypted message\r\n", outer, StringComparison.Ordinal);
            Assert.DoesNotContain("Nightingale", outer, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("acquisition", outer, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Confidential", outer, StringComparison.OrdinalIgnoreCase);
            foreach (var field in RevealingFields)
            {
                Assert.False(HasField(outer, field), $"{field} is outside the encryption on the copy for {string.Join(", ", copy.RecipientAddresses)}:\n{outer}");
            }

            // What transport needs stays.
            foreach (var field in new[] { "Received", "From", "To", "Cc", "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version", "X-MS-Exchange-Organization-AuthAs" })
            {
                Assert.True(HasField(outer, field), $"{field} is missing outside:\n{outer}");
            }
        }
    }

    [Fact]
    public void Inside_AVisibleRecipientsCopy_CarriesNoBcc()
    {
        using var run = RunAttack();

        var copy = run.CopyFor("dave@fabrikam.example");
        Assert.Contains("carol@fabrikam.example", copy.RecipientAddresses);
        var inner = DecryptWithOpenSsl(copy.ReadAllBytes(), "fabrikam-gateway");

        // The protected header is really inside (so the recipient loses nothing) ...
        Assert.Contains("Subject: " + SecretSubject, inner, StringComparison.Ordinal);
        Assert.Contains("Thread-Topic: " + SecretSubject, inner, StringComparison.Ordinal);
        Assert.Contains("msip_labels:", inner, StringComparison.Ordinal);
        Assert.Contains("The offer is 41 million.", inner, StringComparison.Ordinal);
        // ... but not who was sent a blind copy, nor Exchange's organisation fields.
        Assert.False(HasField(HeaderOf(inner), "Bcc"), inner);
        Assert.DoesNotContain("bob@northwind.example", inner, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ivy@northwind.example", inner, StringComparison.OrdinalIgnoreCase);
        Assert.False(HasField(HeaderOf(inner), "X-MS-Exchange-Organization-AuthAs"), inner);
    }

    [Theory]
    [InlineData("bob@northwind.example", "bob", "ivy@northwind.example")]
    [InlineData("ivy@northwind.example", "ivy", "bob@northwind.example")]
    public void Inside_ABlindRecipientsOwnCopy_NamesThatRecipientOnly(string blindRecipient, string key, string otherBlindRecipient)
    {
        using var run = RunAttack();

        var copy = run.CopyFor(blindRecipient);
        Assert.Equal(new[] { blindRecipient }, copy.RecipientAddresses);
        var inner = DecryptWithOpenSsl(copy.ReadAllBytes(), key);

        var bcc = HeaderOf(inner).Split("\r\n").Where(l => l.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(new[] { "Bcc: " + blindRecipient }, bcc);
        Assert.DoesNotContain(otherBlindRecipient, inner, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Subject: " + SecretSubject, inner, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutHeaderProtection_BccStillNeverOutsideAnEncryptedCopy()
    {
        var policy = _fixture.WritePolicy(Rules.Replace(" HeaderProtection=\"true\"", string.Empty, StringComparison.Ordinal));

        using var run = _fixture.Run(policy, Message(), Alice, "dave@fabrikam.example", "carol@fabrikam.example", "bob@northwind.example", "ivy@northwind.example");

        Assert.Equal(3, run.Result.Delivered.Count);
        Assert.All(run.Result.Delivered, copy => Assert.False(HasField(HeaderOf(copy.ReadAllText()), "Bcc"), copy.ReadAllText()));
        var visible = HeaderOf(run.CopyFor("dave@fabrikam.example").ReadAllText());
        Assert.DoesNotContain("northwind.example", visible, StringComparison.OrdinalIgnoreCase);
    }

    private PipelineRun RunAttack()
    {
        var policy = _fixture.WritePolicy(Rules);
        var run = _fixture.Run(policy, Message(), Alice, "dave@fabrikam.example", "carol@fabrikam.example", "bob@northwind.example", "ivy@northwind.example");
        Assert.True(run.Result.Healthy, run.Result.ToString());
        return run;
    }

    private string DecryptWithOpenSsl(byte[] copy, string key)
    {
        var work = Directory.CreateTempSubdirectory("eea-hp-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(work, "copy.eml"), copy);
            var pki = Path.Combine(_fixture.Directory, "pki");
            var result = ExternalTool.OpenSsl(work, "cms", "-decrypt", "-inform", "SMIME", "-in", "copy.eml",
                "-recip", Path.Combine(pki, key + ".crt"), "-inkey", Path.Combine(pki, key + ".key"), "-out", "inner.eml");
            Assert.True(result.ExitCode == 0, result.ToString());
            var entity = File.ReadAllText(Path.Combine(work, "inner.eml"));
            // The decrypted entity is "Content-Type: message/rfc822", an empty line, then the protected message.
            Assert.StartsWith("Content-Type: message/rfc822\r\n\r\n", entity, StringComparison.Ordinal);
            return entity["Content-Type: message/rfc822\r\n\r\n".Length..];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string HeaderOf(string message)
    {
        var end = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 2)];
    }

    private static bool HasField(string header, string name)
        => header.Split("\r\n").Any(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
}
