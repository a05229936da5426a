using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Processing;
using ExchangeApi.Simulator.Tests;
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tests.Smime;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>The runtime Exchange uses: the policy and its certificates reload together, and only valid versions win.</summary>
public sealed class HotReloadTests : IClassFixture<PipelineFixture>, IDisposable
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes(TestMessages.Crlf("From: alice@contoso.example\nTo: dave@fabrikam.example\nSubject: hi\n\nbody"));

    private readonly PipelineFixture _fixture;
    private readonly string _agentDirectory = Directory.CreateTempSubdirectory("eea-agentdir-").FullName;

    public HotReloadTests(PipelineFixture fixture) => _fixture = fixture;

    public void Dispose() => Directory.Delete(_agentDirectory, recursive: true);

    [Fact]
    public void InvalidThenValidThenInvalidPolicy_DefersThenEncryptsThenKeepsEncrypting()
    {
        var policies = Path.Combine(_agentDirectory, "Policies");
        CopyDirectory(Path.Combine(_fixture.Directory, "pki"), Path.Combine(policies, "pki"));
        var policyFile = Path.Combine(policies, "policy.xml");
        File.WriteAllText(policyFile, "<Policy xmlns=\"urn:exchange-encryption-agent:policy:v1\"><Broken/></Policy>");
        using var logging = AgentLogging.CreateInMemory(out var memory);
        var clock = new ManualWatcherClock();
        var changes = new ManualFolderChanges();
        var watching = new PolicyWatcherOptions { Clock = clock, Changes = changes };
        using var runtime = AgentRuntimeFactory.Create(_agentDirectory, new AgentSettings(), logging.Log, null, watching);

        Assert.NotNull(Plan(runtime).Copies.Single().DeferFor);
        Assert.Contains(memory.Logs, l => l.Contains("|1101|", StringComparison.Ordinal));

        var valid = File.ReadAllText(_fixture.WritePolicy("""
            <Rule Name="Fabrikam" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """));
        File.WriteAllText(policyFile, valid);
        Saved(changes, clock, watching);
        Assert.True(Plan(runtime).Copies.Single().Protection == CopyProtection.Encrypted, string.Join("\n", memory.Logs));

        File.WriteAllText(policyFile, "not xml at all");
        Saved(changes, clock, watching);
        Assert.True(memory.Logs.Count(l => l.Contains("|1101|", StringComparison.Ordinal)) >= 2, string.Join("\n", memory.Logs));
        Assert.Equal(CopyProtection.Encrypted, Plan(runtime).Copies.Single().Protection);
    }

    [Fact]
    public void GatewayCertificateRevokedInACrlWrittenAfterAMessage_IsRefusedForTheNextMessageAfterTheReload()
    {
        // The first message validates Fabrikam's certificate and the validator keeps the verdict for minutes; the CRL
        // that revokes it arrives afterwards. The reload builds a new validator, so the cached "valid" dies with the
        // old policy and the next message must not be encrypted to the revoked certificate, nor leave in plain text.
        var policies = Path.Combine(_agentDirectory, "Policies");
        CopyDirectory(Path.Combine(_fixture.Directory, "pki"), Path.Combine(policies, "pki"));
        var policyFile = Path.Combine(policies, "policy.xml");
        File.WriteAllText(policyFile, File.ReadAllText(_fixture.WritePolicy("""
            <Rule Name="Fabrikam" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """)));
        using var logging = AgentLogging.CreateInMemory(out var memory);
        var clock = new ManualWatcherClock();
        var changes = new ManualFolderChanges();
        var watching = new PolicyWatcherOptions { Clock = clock, Changes = changes };
        using var runtime = AgentRuntimeFactory.Create(_agentDirectory, new AgentSettings(), logging.Log, null, watching);
        Assert.True(Plan(runtime).Copies.Single().Protection == CopyProtection.Encrypted, string.Join("\n", memory.Logs));
        Assert.Equal(CopyProtection.Encrypted, Plan(runtime).Copies.Single().Protection);

        var revoked = PkiBuilder.CreateCrl(_fixture.Pki["ca"], new[] { _fixture.Pki["fabrikam-gateway"].Certificate }, thisUpdate: DateTime.UtcNow);
        File.WriteAllText(Path.Combine(policies, "pki", "ca.crl"), IssuedCertificate.ToPem(revoked));
        Saved(changes, clock, watching);

        var plan = Plan(runtime);
        var refused = plan.Rejections.Any(r => r.Recipient == "dave@fabrikam.example")
            || plan.Copies.Any(c => c.Recipients.Contains("dave@fabrikam.example") && c.DeferFor is not null);
        Assert.True(refused, $"{plan.Summary}\n{string.Join("\n", memory.Logs)}");
        Assert.DoesNotContain(plan.Copies, c => c.Recipients.Contains("dave@fabrikam.example") && c.DeferFor is null);
        Assert.Contains(memory.Logs, l => l.Contains("revoked", StringComparison.Ordinal));
    }

    [Fact]
    public void SigningKeyReplacedByANewCertificateAndKey_TheNextSignatureIsByTheNewOneOnly()
    {
        // The signer's certificates, IssuerAndSerialNumber and algorithm identifiers are DER kept beside the loaded
        // key entry (SignerTemplate); a reload that brings another certificate and key must not sign with, or name,
        // the old ones.
        using var agent = StartWith("""<SignSmime Signer="Organization" OrganizationKey="contoso-signing" Format="Clear" />""");
        var before = SmimeTestKit.SplitDetached(agent.Build());
        Assert.Equal(_fixture.Pki["contoso-signing"].Certificate.SerialNumber, SmimeTestKit.VerifyDetached(before.Content, before.Signature).SignerID.SerialNumber);

        var replacement = PkiBuilder.Issue(_fixture.Pki["ca"], new CertificateSpec
        {
            Subject = "CN=Contoso Mail Gateway,O=Contoso",
            Emails = new[] { "mail-gateway@contoso.example" },
            KeyUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation,
        });
        File.WriteAllText(agent.PkiFile("contoso-signing.crt"), replacement.CertificatePem);
        File.WriteAllText(agent.PkiFile("contoso-signing.key"), replacement.PrivateKeyPem);
        agent.Saved();

        var after = SmimeTestKit.SplitDetached(agent.Build());
        var signer = SmimeTestKit.VerifyDetached(after.Content, after.Signature);
        Assert.Equal(replacement.Certificate.SerialNumber, signer.SignerID.SerialNumber);
        var certificates = new CmsSignedData(new CmsProcessableByteArray(after.Content), after.Signature).GetCertificates().EnumerateMatches(null).ToList();
        Assert.Contains(replacement.Certificate, certificates);
        Assert.DoesNotContain(_fixture.Pki["contoso-signing"].Certificate, certificates);
        Assert.True(signer.Verify(replacement.Certificate));
    }

    [Fact]
    public void GatewayCertificateReplacedByANewOne_TheNextEnvelopeIsForTheNewKeyOnly()
    {
        // The RecipientInfo's identifier and the platform key are kept beside the certificate object
        // (PlatformKeyWrapper); after the reload the content key is wrapped for the new certificate, not the old one.
        using var agent = StartWith("""<EncryptSmime Certificate="Gateway" />""");
        var oldGateway = _fixture.Pki["fabrikam-gateway"];
        var before = agent.Build();
        Assert.Contains(oldGateway.Certificate.SerialNumber, SmimeTestKit.Recipients(before).Select(r => r.RecipientID.SerialNumber));

        var replacement = PkiBuilder.Issue(_fixture.Pki["ca"], new CertificateSpec
        {
            Subject = oldGateway.Certificate.SubjectDN.ToString(),
            DnsNames = new[] { "fabrikam.example" },
            KeyUsage = KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment,
        });
        File.WriteAllText(agent.PkiFile("fabrikam-gateway.crt"), replacement.CertificatePem);
        agent.Saved();

        var after = agent.Build();
        var serials = SmimeTestKit.Recipients(after).Select(r => r.RecipientID.SerialNumber).ToList();
        Assert.Contains(replacement.Certificate.SerialNumber, serials);
        Assert.DoesNotContain(oldGateway.Certificate.SerialNumber, serials);
        Assert.Contains("body", Encoding.ASCII.GetString(SmimeTestKit.Decrypt(after, replacement.Certificate, replacement.KeyPair.Private)), StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => SmimeTestKit.Decrypt(after, oldGateway.Certificate, oldGateway.KeyPair.Private));
    }

    /// <summary>A runtime over a copy of the fixture's PKI with one rule for Fabrikam taking <paramref name="actions"/>.</summary>
    private ReloadingAgent StartWith(string actions)
    {
        var policies = Path.Combine(_agentDirectory, "Policies");
        CopyDirectory(Path.Combine(_fixture.Directory, "pki"), Path.Combine(policies, "pki"));
        File.WriteAllText(Path.Combine(policies, "policy.xml"), File.ReadAllText(_fixture.WritePolicy($"""
            <Rule Name="Fabrikam" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions>{actions}</Actions>
            </Rule>
            """)));
        return new ReloadingAgent(_agentDirectory, policies);
    }

    /// <summary>The runtime Exchange uses, with a watcher whose file events and clock the test drives.</summary>
    private sealed class ReloadingAgent : IDisposable
    {
        private readonly string _policies;
        private readonly AgentLogSetup _logging;
        private readonly ManualWatcherClock _clock = new();
        private readonly ManualFolderChanges _changes = new();
        private readonly PolicyWatcherOptions _watching;
        private readonly AgentRuntime _runtime;

        public ReloadingAgent(string agentDirectory, string policies)
        {
            _policies = policies;
            _logging = AgentLogging.CreateInMemory(out _);
            _watching = new PolicyWatcherOptions { Clock = _clock, Changes = _changes };
            _runtime = AgentRuntimeFactory.Create(agentDirectory, new AgentSettings(), _logging.Log, null, _watching);
        }

        public string PkiFile(string name) => Path.Combine(_policies, "pki", name);

        public void Saved() => HotReloadTests.Saved(_changes, _clock, _watching);

        /// <summary>The copy the runtime writes for the test message, as Exchange's adapter would have it built.</summary>
        public byte[] Build()
        {
            var copy = Plan(_runtime).Copies.Single();
            using var content = new MemoryStream(Message);
            using var built = _runtime.Builder.Build(copy, content, CancellationToken.None) ?? throw new InvalidOperationException("the plan did not change the message");
            using var output = new MemoryStream();
            built.Position = 0;
            built.CopyTo(output);
            return output.ToArray();
        }

        public void Dispose()
        {
            _runtime.Dispose();
            _logging.Dispose();
        }
    }

    private static ProcessingPlan Plan(AgentRuntime runtime)
    {
        var envelope = new MessageEnvelope("alice@contoso.example", new[] { new EnvelopeRecipientInput("dave@fabrikam.example", false) });
        using var content = new MemoryStream(Message);
        return runtime.Processor.Plan(envelope, content, DateTime.UtcNow, CancellationToken.None);
    }

    // What the file system reports for a save, then the quiet time the watcher waits for: the reload runs now.
    private static void Saved(ManualFolderChanges changes, ManualWatcherClock clock, PolicyWatcherOptions watching)
    {
        changes.Fire();
        clock.Advance(watching.Debounce);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
