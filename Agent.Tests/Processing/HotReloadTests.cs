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
using ExchangeEncryptionAgent.Tool.Pki;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>The runtime Exchange uses: the policy and its certificates reload together, and only valid versions win.</summary>
public sealed class HotReloadTests : IClassFixture<PipelineFixture>, IDisposable
{
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

    private static ProcessingPlan Plan(AgentRuntime runtime)
    {
        var envelope = new MessageEnvelope("alice@contoso.example", new[] { new EnvelopeRecipientInput("dave@fabrikam.example", false) });
        var mime = TestMessages.Crlf("From: alice@contoso.example\nTo: dave@fabrikam.example\nSubject: hi\n\nbody");
        using var content = new MemoryStream(Encoding.ASCII.GetBytes(mime));
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
