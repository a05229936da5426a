using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tool.Demo;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// A client that disconnects in the middle of DATA (Postfix stopped, the connection cut) over a real socket to a
/// running `eea gateway`: the gateway logs it (5009), keeps nothing in its spool and relays nothing, and the next
/// session is served as usual.
/// </summary>
public sealed class GatewayDroppedSessionTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-dropped-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClientDropsMidData_EventLogged_NothingSpooled_NothingRelayed(bool reset)
    {
        DemoPki.Create(Path.Combine(_directory, "pki"));
        var policy = Path.Combine(_directory, "policy.xml");
        File.Copy(Path.Combine(RepoPaths.Root, "Tool", "Demo", "demo-policy.xml"), policy);
        var spool = Path.Combine(_directory, "spool");
        var gatewayPort = FreePorts.Take(1)[0];

        // Postfix's re-injection service, as far as the gateway knows: any connection to it would be a relay.
        var reinjection = new TcpListener(IPAddress.Loopback, 0);
        reinjection.Start();
        try
        {
            using var gateway = GatewayProcess.Start(
                "--policy", policy, "--listen", $"127.0.0.1:{gatewayPort}", "--reinject", $"127.0.0.1:{((IPEndPoint)reinjection.LocalEndpoint).Port}",
                "--spool", spool, "--hostname", "gateway.eea.test");

            // Event 5000 is written once every listener is bound, so a client may connect on the word (no retry).
            using (var client = TryConnect(gatewayPort) ?? throw new Xunit.Sdk.XunitException("event 5000 came before the listener accepted\n" + gateway.Output()))
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                Expect(reader, "220");
                foreach (var (command, reply) in new[] { ("EHLO postfix.test", "250 "), ("MAIL FROM:<alice@contoso.example>", "250"), ("RCPT TO:<zed@other.example>", "250"), ("DATA", "354") })
                {
                    Send(stream, command + "\r\n");
                    Expect(reader, reply);
                }

                // Headers and part of a body that would be protected, then the connection goes: no final dot.
                Send(stream, "From: alice@contoso.example\r\nTo: zed@other.example\r\nSubject: half a message\r\n\r\n");
                Send(stream, string.Concat(Enumerable.Repeat("Confidential plans, line after line.\r\n", 2000)));
                if (reset)
                {
                    client.Client.LingerState = new LingerOption(true, 0); // RST, as a crashed peer
                }
            }

            Poll.Until(() => gateway.Lines.Any(l => l.Contains($" {EventIds.GatewaySessionDropped.Id} {EventIds.GatewaySessionDropped.Name}", StringComparison.Ordinal)),
                Bound, () => "event 5009 in the gateway's log\n" + gateway.Output());

            Assert.False(reinjection.Pending(), "the gateway relayed part of a message whose session was dropped");
            Assert.True(!Directory.Exists(spool) || Directory.EnumerateFiles(spool, "*", SearchOption.AllDirectories).FirstOrDefault() is null, "the dropped message left a file in the spool");
            Assert.DoesNotContain(gateway.Lines, l => l.Contains($" {EventIds.GatewayMessageRelayed.Id} ", StringComparison.Ordinal) || l.Contains($" {EventIds.GatewayInternalError.Id} ", StringComparison.Ordinal));
            Assert.False(gateway.HasExited, "the gateway stopped after a dropped session\n" + gateway.Output());
        }
        finally
        {
            reinjection.Stop();
        }
    }

    [Fact]
    public void RefusedRecipientThenData_Refused5010_NoDroppedSessionReported()
    {
        // A RCPT the gateway could never re-inject is refused (5010); the DATA after it has no recipient and gets 503,
        // not 354, so no DATA phase began and none was dropped: 5009 would be a false alarm.
        DemoPki.Create(Path.Combine(_directory, "pki"));
        var policy = Path.Combine(_directory, "policy.xml");
        File.Copy(Path.Combine(RepoPaths.Root, "Tool", "Demo", "demo-policy.xml"), policy);
        var gatewayPort = FreePorts.Take(1)[0];
        var reinjection = new TcpListener(IPAddress.Loopback, 0);
        reinjection.Start();
        try
        {
            using var gateway = GatewayProcess.Start(
                "--policy", policy, "--listen", $"127.0.0.1:{gatewayPort}", "--reinject", $"127.0.0.1:{((IPEndPoint)reinjection.LocalEndpoint).Port}",
                "--spool", Path.Combine(_directory, "spool"), "--hostname", "gateway.eea.test");
            using (var client = TryConnect(gatewayPort) ?? throw new Xunit.Sdk.XunitException("no listener\n" + gateway.Output()))
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                Expect(reader, "220");
                foreach (var (command, reply) in new[] { ("EHLO postfix.test", "250 "), ("MAIL FROM:<alice@contoso.example>", "250"), ("RCPT TO:<\"a b\"@other.example>", "5"), ("DATA", "5"), ("QUIT", "221") })
                {
                    Send(stream, command + "\r\n");
                    Expect(reader, reply);
                }
            }

            Poll.Until(() => gateway.Lines.Any(l => l.Contains($" {EventIds.GatewayAddressRefused.Id} {EventIds.GatewayAddressRefused.Name}", StringComparison.Ordinal)),
                Bound, () => "event 5010 in the gateway's log\n" + gateway.Output());
            Assert.DoesNotContain(gateway.Lines, l => l.Contains($" {EventIds.GatewaySessionDropped.Id} ", StringComparison.Ordinal));
        }
        finally
        {
            reinjection.Stop();
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

    private static TcpClient? TryConnect(int port)
    {
        var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return client;
        }
        catch (SocketException)
        {
            client.Dispose();
            return null;
        }
    }

    private static void Send(NetworkStream stream, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        stream.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Reads reply lines (multi-line replies included) until the last, which must start with <paramref name="prefix"/>.</summary>
    private static void Expect(StreamReader reader, string prefix)
    {
        string? line;
        do
        {
            line = reader.ReadLine() ?? throw new IOException("the gateway closed the connection");
        }
        while (line.Length > 3 && line[3] == '-');

        Assert.StartsWith(prefix.TrimEnd(), line, StringComparison.Ordinal);
    }
}
