using System;
using System.IO;
using System.Linq;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Exchange;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9, item 15: the fail-safe paths themselves. When Defer fails, the message must not pass unchanged; an
/// NLog.config that asks for exceptions must not make logging throw into transport; exception text that quotes
/// message content must not reach the event log raw.
/// </summary>
public sealed class FailSafeTests : IClassFixture<PipelineFixture>
{
    private const string MustEncrypt = """
        <Rule Name="Fabrikam gateway" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway" /></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public FailSafeTests(PipelineFixture fixture) => _fixture = fixture;

    private static string Message(string to) => TestMessages.Crlf($"""
        From: Alice <alice@contoso.example>
        To: {to}
        Subject: Merger terms
        Message-ID: <failsafe-{Guid.NewGuid():N}@contoso.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        The offer is 41 million.
        """);

    [Fact]
    public void InternalErrorAndDeferFails_EveryRecipientGetsAnNdr_AndNothingLeavesInPlainText()
    {
        // The spool folder is unusable (a file sits where the folder should be), so encrypting fails; then the host
        // refuses the Defer as well. Before the fix the message then continued unchanged: in plain text. The message
        // is larger than the spool's memory stage, so that it reaches the folder.
        var spool = Path.Combine(_fixture.Directory, "spool-is-a-file-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(spool, "not a folder");
        using var logging = AgentLogging.CreateInMemory(out var memory);
        var loaded = LoadedPolicy.Load(_fixture.WritePolicy(MustEncrypt), logging.Log);
        var runtime = AgentRuntimeFactory.CreateForPolicy(loaded.Value!, new AgentSettings(), logging.Log, spool);
        var options = new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.example" }, DeferFault = () => new InvalidOperationException("queue database unavailable") };
        var recipients = new[] { new SimulatedRecipient("dave@fabrikam.example", false), new SimulatedRecipient("carol@fabrikam.example", false) };

        using var result = new TransportSimulator(options).Run(() => new EncryptionRoutingAgentFactory(runtime),
            SimulatedMessage.FromText("alice@contoso.example", recipients, Message("dave@fabrikam.example, carol@fabrikam.example")
                + string.Concat(Enumerable.Repeat("The offer is 41 million, payable in two instalments.\r\n", 2 * TemporaryFileFactory.SmallSpoolBytes / 50))));

        Assert.Empty(result.Crashes);
        Assert.Empty(result.Delivered);
        Assert.Empty(result.Deferrals);
        Assert.Equal(new[] { "carol@fabrikam.example", "dave@fabrikam.example" }, result.NonDeliveries.Select(n => n.Recipient).OrderBy(r => r, StringComparer.Ordinal));
        Assert.All(result.NonDeliveries, n => Assert.Equal(("550", "5.7.0"), (n.StatusCode, n.EnhancedStatusCode)));
        var logs = memory.Logs.ToList();
        Assert.Contains(logs, l => l.Contains($"|{EventIds.InternalError.Id}|", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains($"|{EventIds.FailSafeRecipientsRejected.Id}|", StringComparison.Ordinal)
            && l.Contains("queue database unavailable", StringComparison.Ordinal) && l.Contains("2 recipient(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void NoPolicyAndDeferFails_RecipientsGetAnNdr()
    {
        // The no-policy outcome is a planned deferral; the adapter's own Defer failing takes the same way out.
        using var harness = new AgentHarness((envelope, _) => ProcessingPlan.DeferAll(envelope.Recipients.Select(r => r.Address).ToList(), TimeSpan.FromMinutes(5), "No valid encryption policy is loaded"));
        var options = new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.com" }, DeferFault = () => new IOException("disk full") };

        using var result = harness.Run(options, Message("bob@fabrikam.example"), new SimulatedRecipient("bob@fabrikam.example", false));

        Assert.Empty(result.Crashes);
        Assert.Empty(result.Delivered);
        Assert.Equal("bob@fabrikam.example", Assert.Single(result.NonDeliveries).Recipient);
        Assert.True(harness.Logged(EventIds.FailSafeRecipientsRejected), string.Join("\n", harness.Log));
    }

    [Fact]
    public void PassThroughInsecure_IsStillHonoured_WhenProcessingFails()
    {
        // The opt-in outcome never defers, so a failing Defer must not turn it into NDRs either.
        using var harness = new AgentHarness((_, _) => throw new InvalidOperationException("boom"), new AgentSettings { OnInternalError = FailureOutcome.PassThroughInsecure });
        var options = new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.com" }, DeferFault = () => new InvalidOperationException("never called") };

        using var result = harness.Run(options, Message("bob@fabrikam.example"), new SimulatedRecipient("bob@fabrikam.example", false));

        Assert.Empty(result.NonDeliveries);
        Assert.Single(result.Delivered);
    }

    [Fact]
    public void ExceptionTextQuotingMessageContent_IsBoundedAndCannotForgeLogLines()
    {
        // A parser that quotes what it choked on: a line break and a forged log line, then a long run of content.
        var quoted = "Unexpected token in 'Subject: merger'\r\n2026-12-01 10:00:00.0000|INFO|1100|forged: policy loaded\n" + new string('S', 10_000);
        using var harness = new AgentHarness((_, _) => throw new FormatException(quoted, new InvalidDataException("inner\rdetail")));

        using var result = harness.Run(Message("bob@fabrikam.example"), new SimulatedRecipient("bob@fabrikam.example", false));

        Assert.Single(result.Deferrals);
        var entry = Assert.Single(harness.Log, l => l.Contains($"|{EventIds.InternalError.Id}|", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', entry);
        Assert.DoesNotContain('\n', entry);
        Assert.DoesNotContain(new string('S', ExceptionSummary.MaxMessageLength + 1), entry, StringComparison.Ordinal);
        Assert.Contains("System.FormatException: Unexpected token", entry, StringComparison.Ordinal);
        Assert.Contains("System.IO.InvalidDataException: inner?detail", entry, StringComparison.Ordinal);
        Assert.True(entry.Length < 4000, $"entry is {entry.Length} characters");
    }

    [Fact]
    public void NLogConfigAskingForExceptions_CannotMakeLoggingThrowIntoTransport()
    {
        // An administrator (or an attacker with write access to the agent folder) sets throwExceptions="true" and a
        // target that fails on every write. The agent must log nothing it cannot, and still defer for want of a policy.
        var agentDirectory = Directory.CreateTempSubdirectory("eea-nlog-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(agentDirectory, AgentLogging.ConfigFileName), $"""
                <nlog xmlns="http://www.nlog-project.org/schemas/NLog.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                      throwExceptions="true" throwConfigExceptions="true" internalLogLevel="Off">
                  <targets>
                    <target xsi:type="MethodCall" name="broken" className="{typeof(ThrowingLogTarget).AssemblyQualifiedName}" methodName="{nameof(ThrowingLogTarget.Write)}" />
                  </targets>
                  <rules><logger name="*" minlevel="Trace" writeTo="broken" /></rules>
                </nlog>
                """);
            using (var setup = AgentLogging.Create(agentDirectory))
            {
                Assert.False(setup.Factory.ThrowExceptions);
            }

            var runtime = AgentRuntimeFactory.CreateForExchange(agentDirectory);
            var callsBefore = ThrowingLogTarget.Calls;

            using var result = new TransportSimulator(new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.com" } })
                .Run(() => new EncryptionRoutingAgentFactory(runtime), SimulatedMessage.FromText("alice@contoso.com",
                    new[] { new SimulatedRecipient("bob@fabrikam.example", false) }, Message("bob@fabrikam.example")));
            runtime.Dispose();

            Assert.True(ThrowingLogTarget.Calls > callsBefore, "the broken target was never used, so the test proves nothing");
            Assert.True(result.Healthy, result.ToString());
            var deferral = Assert.Single(result.Deferrals);
            // The no-policy outcome, not the internal-error one: the log write did not throw out of the processor.
            Assert.Contains("No valid encryption policy", string.Join(" ", deferral.Reason!.Value.StatusText), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(agentDirectory, recursive: true);
        }
    }

    [Fact]
    public void LoggerWithExceptionsOn_NeverThrowsFromTheAgentLog()
    {
        using var setup = AgentLogging.CreateInMemory(out _);
        setup.Factory.ThrowExceptions = true;
        var configuration = new NLog.Config.LoggingConfiguration(setup.Factory);
        configuration.AddRuleForAllLevels(new NLog.Targets.MethodCallTarget("broken", (_, _) => throw new IOException("disk full")));
        setup.Factory.Configuration = configuration;

        var exception = Record.Exception(() => setup.Log.Write(EventIds.InternalError, "entry"));

        Assert.Null(exception);
    }
}

/// <summary>An NLog MethodCall target that fails on every write.</summary>
public static class ThrowingLogTarget
{
    private static int _calls;

    public static int Calls => _calls;

    public static void Write()
    {
        System.Threading.Interlocked.Increment(ref _calls);
        throw new IOException("log disk full");
    }
}
