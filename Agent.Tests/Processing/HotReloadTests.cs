using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Simulator;
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
        using var runtime = AgentRuntimeFactory.Create(_agentDirectory, new AgentSettings(), logging.Log, null);

        Assert.NotNull(Plan(runtime).Copies.Single().DeferFor);
        Assert.Contains(memory.Logs, l => l.Contains("|1101|", StringComparison.Ordinal));

        var valid = File.ReadAllText(_fixture.WritePolicy("""
            <Rule Name="Fabrikam" Priority="0">
              <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime Certificate="Gateway" /></Actions>
            </Rule>
            """));
        File.WriteAllText(policyFile, valid);
        var encrypted = WaitFor(runtime, p => p.Copies.Single().Protection == CopyProtection.Encrypted);
        Assert.True(encrypted, string.Join("\n", memory.Logs));

        File.WriteAllText(policyFile, "not xml at all");
        WaitForLog(memory, "|1101|", occurrences: 2);
        Assert.Equal(CopyProtection.Encrypted, Plan(runtime).Copies.Single().Protection);
    }

    private static ProcessingPlan Plan(AgentRuntime runtime)
    {
        var envelope = new MessageEnvelope("alice@contoso.example", new[] { new EnvelopeRecipientInput("dave@fabrikam.example", false) });
        var mime = TestMessages.Crlf("From: alice@contoso.example\nTo: dave@fabrikam.example\nSubject: hi\n\nbody");
        using var content = new MemoryStream(Encoding.ASCII.GetBytes(mime));
        return runtime.Processor.Plan(envelope, content, DateTime.UtcNow, CancellationToken.None);
    }

    private static bool WaitFor(AgentRuntime runtime, Func<ProcessingPlan, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (condition(Plan(runtime)))
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    private static void WaitForLog(NLog.Targets.MemoryTarget memory, string marker, int occurrences)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && memory.Logs.Count(l => l.Contains(marker, StringComparison.Ordinal)) < occurrences)
        {
            Thread.Sleep(100);
        }

        Assert.True(memory.Logs.Count(l => l.Contains(marker, StringComparison.Ordinal)) >= occurrences, string.Join("\n", memory.Logs));
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
