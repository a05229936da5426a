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
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeEncryptionAgent.Tool.Gateway;
using NLog.Targets;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// Re-injection sessions are kept open between messages (the gateway's main per-message cost at 10 KB), and keeping
/// them never costs a copy: each message is handed back exactly once, also when the session kept from the previous
/// message died with a Postfix restart. Real components: a private Postfix re-injection smtpd relaying to smtp-sink.
/// </summary>
public sealed class ReinjectionSessionTests : IClassFixture<PipelineFixture>, IDisposable
{
    private const string Alice = "alice@contoso.example";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly PipelineFixture _fixture;
    private readonly AgentLogSetup _logging;
    private readonly MemoryTarget _memory;

    public ReinjectionSessionTests(PipelineFixture fixture)
    {
        _fixture = fixture;
        _logging = AgentLogging.CreateInMemory(out _memory);
    }

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task ConsecutiveMessages_ShareOneSession_AndEachIsHandedBackOnce()
    {
        var port = FreePorts.Take(1)[0];
        var work = WorkDirectory();
        using var sink = new SmtpSink(Path.Combine(work, "sink"), FreePorts.Take(1)[0]);
        using var postfix = StartPostfix(Path.Combine(work, "postfix"), port, sink.Port);
        using var runtime = NewRuntime(out var policy);
        using var relay = new GatewayRelay(runtime, Options(policy, port));

        var markers = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        foreach (var marker in markers)
        {
            var outcome = await Relay(relay, marker);
            Assert.True(outcome.Accepted, string.Join("\n", _memory.Logs));
        }

        foreach (var marker in markers)
        {
            Poll.Until(() => sink.MessagesWith(marker).Count > 0, Bound, () => $"message {marker} at the sink");
            Assert.Single(sink.MessagesWith(marker));
        }

        Assert.Equal(1, relay.ReinjectionSessionsOpened);
    }

    [Fact]
    public async Task KeptSessionDiedWithAPostfixRestart_NextMessageGoesOutOnANewSession_ExactlyOnce()
    {
        var port = FreePorts.Take(1)[0];
        using var runtime = NewRuntime(out var policy);
        using var relay = new GatewayRelay(runtime, Options(policy, port));
        var work = WorkDirectory();
        using var sink = new SmtpSink(Path.Combine(work, "sink"), FreePorts.Take(1)[0]);
        using var postfix = StartPostfix(Path.Combine(work, "postfix"), port, sink.Port);
        var first = Guid.NewGuid().ToString("N");
        Assert.True((await Relay(relay, first)).Accepted, string.Join("\n", _memory.Logs));
        Poll.Until(() => sink.MessagesWith(first).Count > 0, Bound, () => "the first message at the sink");

        // Postfix restarts: the session the relay kept is dead, and the relay does not know.
        ExternalTool.Run("postfix", new[] { "-c", postfix.ConfigDirectory, "stop" });
        ExternalTool.Run("postfix", new[] { "-c", postfix.ConfigDirectory, "start" });
        Poll.Until(() => Accepts(port), Bound, () => "Postfix listening again");
        var after = sink;
        var second = Guid.NewGuid().ToString("N");
        var outcome = await Relay(relay, second);

        Assert.True(outcome.Accepted, outcome.Text);
        Poll.Until(() => after.MessagesWith(second).Count > 0, Bound, () => "the second message at the restarted sink");
        Assert.Single(after.MessagesWith(second));
        Assert.Equal(2, relay.ReinjectionSessionsOpened);
    }

    /// <summary>A private Postfix whose re-injection smtpd (on <paramref name="port"/>) relays to the sink.</summary>
    private static string WorkDirectory()
    {
        // Postfix and smtp-sink run as the postfix user: the path down to their folders must be searchable.
        var directory = System.IO.Directory.CreateTempSubdirectory("eea-reinject-").FullName;
        ExternalTool.Run("chmod", new[] { "0755", directory });
        return directory;
    }

    private static PostfixInstance StartPostfix(string directory, int port, int sinkPort)
    {
        var postfix = PostfixInstance.Start(directory, sinkPort, new[]
        {
            $"127.0.0.1:{port} inet n - n - - smtpd -o content_filter= -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters",
        }, port);
        return postfix;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var probe = new TcpClient();
            probe.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static GatewayOptions Options(string policy, int reinjectPort)
        => new(policy, Array.Empty<GatewayListener>(), new IPEndPoint(IPAddress.Loopback, reinjectPort), null,
            Path.GetDirectoryName(policy)!, "gateway.eea.test");

    private AgentRuntime NewRuntime(out string policy)
    {
        policy = _fixture.WritePolicy("""
            <Rule Name="Tag" Priority="0">
              <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
              <Actions><PrependSubject Text="[tagged] " /></Actions>
            </Rule>
            """);
        var loaded = LoadedPolicy.Load(policy, _logging.Log);
        Assert.True(loaded.Value is not null, string.Join("\n", loaded.Errors));
        var spool = Path.Combine(_fixture.Directory, "gateway-spool-" + Guid.NewGuid().ToString("N"));
        return AgentRuntimeFactory.CreateForPolicy(loaded.Value!, new AgentSettings(), _logging.Log, spool);
    }

    private static async Task<RelayOutcome> Relay(GatewayRelay relay, string marker)
    {
        var mime = $"From: {Alice}\r\nTo: grace@tailspin.example\r\nSubject: plans {marker}\r\n\r\nThe plans {marker}.\r\n";
        using var content = new MemoryStream(Encoding.ASCII.GetBytes(mime));
        return await relay.RelayAsync(Alice, new[] { "grace@tailspin.example" }, GatewayOrigin.Inside, content, marker[..12], CancellationToken.None);
    }
}
