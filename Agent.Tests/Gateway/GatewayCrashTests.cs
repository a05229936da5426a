using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tool.Demo;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// Nothing is lost when the gateway dies: killed (SIGKILL) while it holds a message, Postfix still has the message
/// and delivers it once a gateway is back.
/// </summary>
public sealed class GatewayCrashTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _directory;

    public GatewayCrashTests()
    {
        _directory = Directory.CreateTempSubdirectory("eea-crash-").FullName;
        ExternalTool.Run("chmod", new[] { "0755", _directory });
    }

    [Fact]
    public void GatewayKilledMidMessage_PostfixKeepsTheMessage_AndDeliversItWhenTheGatewayIsBack()
    {
        DemoPki.Create(Path.Combine(_directory, "pki"));
        var policy = Path.Combine(_directory, "policy.xml");
        File.Copy(Path.Combine(RepoPaths.Root, "Tool", "Demo", "demo-policy.xml"), policy);
        var ports = FreePorts.Take(3);
        var (entry, gatewayPort, reinject) = (ports[0], ports[1], ports[2]);

        // A re-injection target that accepts the connection and never answers: the gateway is then provably in the
        // middle of the message (received, processed, not yet handed back) when it is killed.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var held = new List<TcpClient>();
        var blackHolePort = ((IPEndPoint)blackHole.LocalEndpoint).Port;

        using var sink = new SmtpSink(Path.Combine(_directory, "sink"), FreePorts.Take(1)[0]);
        using var postfix = PostfixInstance.Start(Path.Combine(_directory, "postfix"), sink.Port, new[]
        {
            $"127.0.0.1:{entry} inet n - n - - smtpd -o content_filter=eea:[127.0.0.1]:{gatewayPort}",
            "eea unix - - n - 4 smtp -o smtp_send_xforward_command=no -o disable_mime_output_conversion=yes",
            $"127.0.0.1:{reinject} inet n - n - - smtpd -o content_filter= -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters",
        }, entry);

        string[] Arguments(int reinjectPort) => new[]
        {
            "--policy", policy, "--listen", $"127.0.0.1:{gatewayPort}", "--reinject", $"127.0.0.1:{reinjectPort}",
            "--spool", Path.Combine(_directory, "spool"), "--hostname", "gateway.eea.test",
        };

        var marker = Guid.NewGuid().ToString("N");
        try
        {
            using (var doomed = GatewayProcess.Start(Arguments(blackHolePort)))
            {
                PostfixGatewayFixture.Send(entry, "alice@contoso.example", new[] { "zed@other.example" },
                    $"From: alice@contoso.example\r\nTo: zed@other.example\r\nSubject: survive {marker}\r\n\r\nKeep me {marker}\r\n");

                Poll.Until(() => blackHole.Pending(), Bound, () => "the gateway to start re-injecting\n" + doomed.Output() + postfix.ReadLog());
                held.Add(blackHole.AcceptTcpClient());
                doomed.Kill();
            }

            // Postfix noticed the lost connection and keeps the message (nothing acknowledged, nothing lost).
            var queued = Poll.Until(
                () => postfix.Queue().FirstOrDefault(q => q.Recipients.Any(r => r.Address == "zed@other.example" && r.DelayReason.Length > 0)),
                Bound, () => "Postfix to defer the message\n" + postfix.ReadLog());
            Assert.Equal("alice@contoso.example", queued.Sender);
            Assert.Empty(sink.MessagesWith(marker));

            using var revived = GatewayProcess.Start(Arguments(reinject));
            postfix.Flush();
            var delivered = Poll.Until(() => sink.MessagesWith(marker) is [var first, ..] ? first : null, Bound, () => "the message at the sink\n" + revived.Output() + postfix.ReadLog());
            Assert.Equal(new[] { "zed@other.example" }, delivered.Recipients);
            Assert.Contains("multipart/signed", delivered.Text, StringComparison.OrdinalIgnoreCase);
            Poll.Until(() => postfix.Queue().Count == 0, Bound, () => "an empty queue\n" + postfix.ReadLog());
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
