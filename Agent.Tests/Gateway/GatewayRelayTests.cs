using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeEncryptionAgent.Tool.Gateway;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// The gateway's host adapter on the outcomes that must hold the message: a deferral, forced TLS without its
/// re-injection service, a re-injection Postfix refuses. Each is a 4xx for the whole message and nothing leaves.
/// </summary>
public sealed class GatewayRelayTests : IClassFixture<PipelineFixture>, IDisposable
{
    private const string Alice = "alice@contoso.example";
    private readonly PipelineFixture _fixture;
    private readonly TcpListener _postfix = new(IPAddress.Loopback, 0);

    public GatewayRelayTests(PipelineFixture fixture)
    {
        _fixture = fixture;
        _postfix.Start();
    }

    [Fact]
    public async Task Deferral_AnswersTryAgainForTheWholeMessage_AndHandsNothingBack()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Tailspin later" Priority="0">
              <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime><Fallback><DeferMessage RetryAfter="PT15M" /></Fallback></EncryptSmime></Actions>
            </Rule>
            """);

        var (outcome, log) = await Relay(policy, withTls: true, new[] { "grace@tailspin.example", "ed@contoso.example" }, null);

        Assert.False(outcome.Accepted);
        Assert.Equal("4.7.0", outcome.EnhancedStatusCode);
        Assert.False(_postfix.Pending(), "the gateway handed a copy back although the message was deferred");
        Assert.Contains(log, l => l.Contains($"|{EventIds.GatewayMessageDeferred.Id}|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForcedTlsWithoutItsReinjectionService_AnswersTryAgain_NeverPlainSmtp()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Tailspin over TLS" Priority="0">
              <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
              <Actions><EncryptSmime><Fallback><RouteRequireTls /></Fallback></EncryptSmime></Actions>
            </Rule>
            """);

        var (outcome, log) = await Relay(policy, withTls: false, new[] { "grace@tailspin.example" }, null);

        Assert.False(outcome.Accepted);
        Assert.Equal("4.7.5", outcome.EnhancedStatusCode);
        Assert.False(_postfix.Pending(), "a forced-TLS copy went to the plain re-injection service");
        Assert.Contains(log, l => l.Contains($"|{EventIds.GatewayForcedTlsUnavailable.Id}|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReinjectionRefused_AnswersTryAgain()
    {
        var policy = _fixture.WritePolicy("""
            <Rule Name="Nothing to do" Priority="0">
              <Conditions><RecipientDomainIs><Value>nowhere.example</Value></RecipientDomainIs></Conditions>
              <Actions><PrependSubject Text="[x] " /></Actions>
            </Rule>
            """);

        // Postfix's re-injection service is down: nothing listens on the port.
        var closed = ((IPEndPoint)_postfix.LocalEndpoint).Port;
        _postfix.Stop();
        var (outcome, log) = await Relay(policy, withTls: false, new[] { "ed@contoso.example" }, closed);

        Assert.False(outcome.Accepted);
        Assert.Equal("4.3.0", outcome.EnhancedStatusCode);
        Assert.Contains(log, l => l.Contains($"|{EventIds.GatewayReinjectionFailed.Id}|", StringComparison.Ordinal));
    }

    public void Dispose() => _postfix.Stop();

    private async Task<(RelayOutcome Outcome, string[] Log)> Relay(string policyPath, bool withTls, string[] recipients, int? reinjectPort)
    {
        using var logging = AgentLogging.CreateInMemory(out var memory);
        var loaded = LoadedPolicy.Load(policyPath, logging.Log);
        Assert.True(loaded.Value is not null, string.Join("\n", loaded.Errors));
        var spool = Path.Combine(_fixture.Directory, "gateway-spool-" + Guid.NewGuid().ToString("N"));
        using var runtime = AgentRuntimeFactory.CreateForPolicy(loaded.Value!, new AgentSettings(), logging.Log, spool);
        var postfix = new IPEndPoint(IPAddress.Loopback, reinjectPort ?? ((IPEndPoint)_postfix.LocalEndpoint).Port);
        var options = new GatewayOptions(policyPath, Array.Empty<GatewayListener>(), postfix, withTls ? postfix : null, spool, "gateway.eea.test");
        var mime = $"From: {Alice}\r\nTo: {string.Join(", ", recipients)}\r\nSubject: plans\r\n\r\nThe plans.\r\n";
        using var content = new MemoryStream(Encoding.ASCII.GetBytes(mime));

        using var relay = new GatewayRelay(runtime, options);
        var outcome = await relay.RelayAsync(Alice, recipients, GatewayOrigin.Inside, content, "test", CancellationToken.None);
        return (outcome, memory.Logs.ToArray());
    }
}
