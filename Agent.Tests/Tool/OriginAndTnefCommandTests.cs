using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ExchangeEncryptionAgent.Tests.Support;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Tool;

/// <summary>
/// `--origin` and Summary-TNEF through the command line, with the demo's policy and PKI: Outlook mail submitted from a
/// mailbox to a partner is delivered encrypted and openssl finds MIME inside, not winmail.dat; the sender's scope in
/// `eea test` and plan.json is the host's word, never the From domain.
/// </summary>
public sealed class OriginAndTnefCommandTests : IClassFixture<DemoAndProcessCommandTests.DemoRun>
{
    private readonly DemoAndProcessCommandTests.DemoRun _demo;

    public OriginAndTnefCommandTests(DemoAndProcessCommandTests.DemoRun demo) => _demo = demo;

    private string Policy => Path.Combine(_demo.Directory, "policy.xml");

    private static (int Exit, string Stdout, string Stderr) RunEea(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = ExchangeEncryptionAgent.Tool.Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("ukr.eml")]
    [InlineData("rich-text.eml")]
    public void Process_OutlookMessageFromMailbox_ToPartner_OpensAsMimeWithOpenSsl(string sample)
    {
        var output = Path.Combine(_demo.Directory, "tnef-" + Path.GetFileNameWithoutExtension(sample));
        var (exit, _, stderr) = RunEea("process", "--policy", Policy, "--mail-from", "alice@contoso.example", "--origin", "mailbox",
            "--rcpt", "dave@fabrikam.example", "--out", output, RepoPaths.TestData("tnef", sample));
        Assert.True(exit == 0, stderr);

        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "plan.json")));
        Assert.Equal("Mailbox", plan.RootElement.GetProperty("origin").GetString());
        Assert.Equal("InOrganization", plan.RootElement.GetProperty("sender_scope").GetString());
        var copy = Assert.Single(plan.RootElement.GetProperty("copies").EnumerateArray());
        Assert.Equal("signed+encrypted", copy.GetProperty("protection").GetString());

        var file = Path.Combine(output, copy.GetProperty("file").GetString()!);
        var decrypted = _demo.OpenSsl("cms", "-decrypt", "-inform", "SMIME", "-in", file,
            "-recip", "pki/fabrikam-gateway.crt", "-inkey", "pki/fabrikam-gateway.key", "-out", "tnef-decrypted.mime");
        Assert.True(decrypted.ExitCode == 0, decrypted.ToString());
        var verified = _demo.OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", "tnef-decrypted.mime", "-CAfile", "pki/ca.crt", "-out", "tnef-content.mime");
        Assert.True(verified.ExitCode == 0, verified.ToString());

        var content = File.ReadAllText(Path.Combine(_demo.Directory, "tnef-content.mime"), Encoding.Latin1);
        Assert.DoesNotContain("ms-tnef", content, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("winmail.dat", content, StringComparison.OrdinalIgnoreCase);
        using var stream = new MemoryStream(Encoding.Latin1.GetBytes(content));
        var parts = new System.Collections.Generic.List<MimeEntity>();
        using (var iterator = new MimeIterator(MimeMessage.Load(stream)))
        {
            while (iterator.MoveNext())
            {
                parts.Add(iterator.Current);
            }
        }

        Assert.Contains(parts, p => p is TextPart { IsHtml: true } or TextPart { IsPlain: true });
        if (sample == "rich-text.eml")
        {
            Assert.Contains(parts.OfType<MimePart>(), p => p.FileName == "kitten-playing-with-a-christmas-tree.jpg" && p.IsAttachment);
        }
    }

    [Theory]
    [InlineData("smtp-anonymous", "NotInOrganization")]
    [InlineData("smtp-authenticated", "InOrganization")]
    [InlineData("mailbox", "InOrganization")]
    [InlineData("pickup", "InOrganization")]
    public void Test_SenderScope_IsTheOrigin_NotTheFromDomain(string origin, string scope)
    {
        var message = Path.Combine(_demo.Directory, "input", "partner-report.eml");
        var (exit, output, stderr) = RunEea("test", "--policy", Policy, "--mail-from", "alice@contoso.example", "--origin", origin, message);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(scope, json.RootElement.GetProperty("sender_scope").GetString());
    }

    [Fact]
    public void Origin_DefaultsByMailFrom_AndRejectsUnknownValues()
    {
        var message = Path.Combine(_demo.Directory, "input", "partner-report.eml");
        using (var inside = JsonDocument.Parse(RunEea("test", "--policy", Policy, "--mail-from", "alice@contoso.example", message).Stdout))
        {
            Assert.Equal("InOrganization", inside.RootElement.GetProperty("sender_scope").GetString());
            Assert.Equal("Mailbox", inside.RootElement.GetProperty("envelope").GetProperty("origin").GetString());
        }

        using (var outside = JsonDocument.Parse(RunEea("test", "--policy", Policy, message).Stdout))
        {
            Assert.Equal("NotInOrganization", outside.RootElement.GetProperty("sender_scope").GetString());
        }

        Assert.Equal(2, RunEea("test", "--policy", Policy, "--origin", "vpn", message).Exit);
        Assert.Equal(2, RunEea("process", "--policy", Policy, "--mail-from", "a@contoso.example", "--rcpt", "b@fabrikam.example", "--origin", "vpn",
            "--out", Path.Combine(_demo.Directory, "never-origin"), message).Exit);
    }

    [Fact]
    public void Test_WordOnlyInsideTnef_Matches()
    {
        var path = Path.Combine(_demo.Directory, "tnef-word.eml");
        File.WriteAllText(path, TnefSample.Message(TnefSample.Build("IPM.Note", "This report is confidential."), outerText: "See attached."));

        var (exit, output, stderr) = RunEea("test", "--policy", Policy, "--mail-from", "alice@contoso.example", "--rcpt", "frank@tailspin.example", path);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("message").GetProperty("tnef").GetBoolean());
        var match = json.RootElement.GetProperty("matches").EnumerateArray().Single(m => m.GetProperty("rule").GetString() == "Confidential to anyone outside");
        Assert.Contains(match.GetProperty("conditions").EnumerateArray(), c => c.GetProperty("condition").GetString() == "SubjectOrBodyContainsWords");
    }
}
