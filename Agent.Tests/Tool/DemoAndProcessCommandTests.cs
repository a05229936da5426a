using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Tool;

/// <summary>
/// `eea demo` and `eea process` end to end. Every claim the demo manifest makes is checked with openssl, an
/// independent implementation: each encrypted output opens with each key the manifest names, each signature
/// verifies for S/MIME use, and mail that openssl protects for the demo's inbound contract is decrypted and verified.
/// </summary>
public sealed class DemoAndProcessCommandTests : IClassFixture<DemoAndProcessCommandTests.DemoRun>
{
    private readonly DemoRun _demo;

    public DemoAndProcessCommandTests(DemoRun demo) => _demo = demo;

    [Fact]
    public void Demo_Succeeds_AndPrintsWhatTheAgentDidToEachSample()
    {
        Assert.True(_demo.ExitCode == 0, _demo.Stderr);
        Assert.Contains("partner-report.eml", _demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("deliver  dave@fabrikam.example: signed+encrypted", _demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("reject   carol@northwind.example: 550 5.7.1", _demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("via forced TLS (forcetls.contoso.example)", _demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("decryption decrypted; signature valid; signer=dave@fabrikam.example", _demo.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_demo.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void EveryEncryptedOutput_OpensWithEveryKeyTheManifestNames_AndNeverUsesLegacyCiphers()
    {
        var encrypted = _demo.Outputs().Where(o => o.GetProperty("decrypt_with").GetArrayLength() > 0).ToList();
        Assert.True(encrypted.Count >= 4, "the demo should produce several encrypted outputs");

        foreach (var output in encrypted)
        {
            var file = output.GetProperty("file").GetString()!;
            foreach (var key in output.GetProperty("decrypt_with").EnumerateArray())
            {
                var decrypted = _demo.OpenSsl("cms", "-decrypt", "-inform", "SMIME", "-in", file,
                    "-recip", key.GetProperty("cert").GetString()!, "-inkey", key.GetProperty("key").GetString()!, "-out", "decrypted.mime");
                Assert.True(decrypted.ExitCode == 0, $"{file} with {key}: {decrypted}");
                if (output.GetProperty("protection").GetString() == "signed+encrypted")
                {
                    var verified = _demo.OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", "decrypted.mime", "-CAfile", "pki/ca.crt", "-out", "/dev/null");
                    Assert.True(verified.ExitCode == 0, $"{file}: {verified}");
                }
            }

            var printed = _demo.OpenSsl("cms", "-cmsout", "-print", "-inform", "SMIME", "-in", file).StandardOutput;
            // Only the algorithm lines: the printout also dumps the ciphertext as hex and text, where "rc2" or
            // "des" can turn up by chance.
            var algorithms = printed.Split('\n').Where(line => line.Contains("algorithm:", StringComparison.Ordinal)).ToList();
            Assert.Contains(algorithms, line => line.Contains("aes-256-cbc", StringComparison.Ordinal));
            Assert.DoesNotContain(algorithms, line => line.Contains("des-ede3", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(algorithms, line => line.Contains("rc2", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void SignedOnlyOutputs_VerifyForSmimeUse()
    {
        var signed = _demo.Outputs().Where(o => o.GetProperty("protection").GetString() == "signed").ToList();
        Assert.NotEmpty(signed);

        foreach (var output in signed)
        {
            var file = output.GetProperty("file").GetString()!;
            var verified = _demo.OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", file, "-CAfile", "pki/ca.crt", "-out", "/dev/null");
            Assert.True(verified.ExitCode == 0, $"{file}: {verified}");
        }
    }

    [Fact]
    public void InboundContract_MailOpenSslProtectsForTheDemo_IsDecryptedAndVerified()
    {
        var inbound = _demo.Manifest.RootElement.GetProperty("inbound");
        var sender = inbound.GetProperty("external_sender").GetString()!;
        var recipient = inbound.GetProperty("internal_recipient").GetString()!;
        var entity = "Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned and encrypted by openssl, not by us.\r\n";
        File.WriteAllText(Path.Combine(_demo.Directory, "openssl-entity.mime"), entity);
        Assert.Equal(0, _demo.OpenSsl("cms", "-sign", "-binary", "-in", "openssl-entity.mime", "-signer", inbound.GetProperty("sender_cert").GetString()!,
            "-inkey", inbound.GetProperty("sender_key").GetString()!, "-md", "sha256", "-outform", "SMIME", "-out", "openssl-signed.mime").ExitCode);
        Assert.Equal(0, _demo.OpenSsl("cms", "-encrypt", "-aes256", "-binary", "-in", "openssl-signed.mime", "-outform", "SMIME", "-out", "openssl-inbound.eml",
            "-from", sender, "-to", recipient, "-subject", "from openssl", inbound.GetProperty("decryption_cert").GetString()!).ExitCode);

        var output = Path.Combine(_demo.Directory, "openssl-inbound-out");
        var (exit, stdout, stderr) = RunEea("process", "--policy", Path.Combine(_demo.Directory, "policy.xml"), "--mail-from", sender, "--rcpt", recipient,
            "--out", output, Path.Combine(_demo.Directory, "openssl-inbound.eml"));

        Assert.True(exit == 0, stderr);
        var result = File.ReadAllText(Path.Combine(output, "1.eml"));
        Assert.Contains("X-EEA-Decryption: decrypted", result, StringComparison.Ordinal);
        Assert.Contains($"X-EEA-Signature: valid; signer={sender}", result, StringComparison.Ordinal);
        Assert.Contains("Signed and encrypted by openssl, not by us.", result, StringComparison.Ordinal);
        Assert.Contains("inbound S/MIME checked", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_WritesCopiesAndPlanJson()
    {
        var output = Path.Combine(_demo.Directory, "process-out");
        var (exit, _, stderr) = RunEea("process", "--policy", Path.Combine(_demo.Directory, "policy.xml"), "--mail-from", "alice@contoso.example",
            "--rcpt", "dave@fabrikam.example", "--rcpt", "carol@northwind.example", "--rcpt", "frank@tailspin.example",
            "--out", output, Path.Combine(_demo.Directory, "input", "confidential-no-certificate.eml"));

        Assert.True(exit == 0, stderr);
        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "plan.json")));
        var copies = plan.RootElement.GetProperty("copies").EnumerateArray().ToList();
        var dave = copies.Single(c => c.GetProperty("recipients")[0].GetString() == "dave@fabrikam.example");
        Assert.Equal("signed+encrypted", dave.GetProperty("protection").GetString());
        Assert.True(File.Exists(Path.Combine(output, dave.GetProperty("file").GetString()!)));
        Assert.Equal(2, dave.GetProperty("encryptedFor").GetArrayLength());
        var frank = copies.Single(c => c.GetProperty("recipients")[0].GetString() == "frank@tailspin.example");
        Assert.Equal("forcetls.contoso.example", frank.GetProperty("routing").GetProperty("routingDomain").GetString());
        Assert.Equal("UseRecipientDomain", frank.GetProperty("routing").GetProperty("deliveryQueueDomain").GetString());
        var ndr = Assert.Single(plan.RootElement.GetProperty("ndrs").EnumerateArray());
        Assert.Equal("carol@northwind.example", ndr.GetProperty("recipient").GetString());
        Assert.True(plan.RootElement.GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public void Process_ExitCodes()
    {
        Assert.Equal(2, RunEea("process", "--policy", "x.xml").Exit);
        var invalid = Path.Combine(_demo.Directory, "invalid-policy.xml");
        File.WriteAllText(invalid, "<Policy xmlns=\"urn:exchange-encryption-agent:policy:v1\"><Nope/></Policy>");
        var (exit, _, stderr) = RunEea("process", "--policy", invalid, "--mail-from", "a@contoso.example", "--rcpt", "b@fabrikam.example",
            "--out", Path.Combine(_demo.Directory, "never"), Path.Combine(_demo.Directory, "input", "newsletter.eml"));
        Assert.Equal(1, exit);
        Assert.Contains("invalid-policy.xml:1:", stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Stdout, string Stderr) RunEea(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = ExchangeEncryptionAgent.Tool.Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>One `eea demo` run shared by the tests (it generates a PKI).</summary>
    public sealed class DemoRun : IDisposable
    {
        public DemoRun()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("eea-demo-").FullName;
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            ExitCode = ExchangeEncryptionAgent.Tool.Program.Run(new[] { "demo", "--out", Directory }, stdout, stderr);
            Stdout = stdout.ToString();
            Stderr = stderr.ToString();
            Manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "manifest.json")));
        }

        public string Directory { get; }

        public int ExitCode { get; }

        public string Stdout { get; }

        public string Stderr { get; }

        public JsonDocument Manifest { get; }

        public System.Collections.Generic.IEnumerable<JsonElement> Outputs() => Manifest.RootElement.GetProperty("outputs").EnumerateArray();

        internal ExternalTool.Result OpenSsl(params string[] arguments) => ExternalTool.OpenSsl(Directory, arguments);

        public void Dispose()
        {
            Manifest.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
