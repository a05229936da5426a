using System;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tool.Gateway;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// Target "gateway": the bytes as what an SMTP client says to `eea gateway` (the real GatewayHost, its SmtpServer
/// listeners, GatewayMessageStore and GatewayRelay) over a loopback socket. A first line "#internet" picks the
/// Internet listener, anything else the inside one. Copies are re-injected into an in-process sink that accepts
/// everything. A finding: the gateway's catch-all events (5007, 9000: an exception the engine or the adapter let out),
/// event 5004 or 5008 for anything but their documented causes, a session that does not end, or a spool file left
/// behind.
/// </summary>
public sealed class GatewaySessionTarget : IFuzzTarget, IDisposable
{
    /// <summary>A session that has not ended this long after the client closed its side is a hang.</summary>
    private static readonly TimeSpan SessionBudget = TimeSpan.FromSeconds(20);

    private static readonly byte[] InternetMarker = "#internet\r\n"u8.ToArray();

    // Whatever state the input left the session in (headers, DATA, BDAT), this ends it: the end of DATA, then QUIT.
    private static readonly byte[] Closing = "\r\n.\r\nQUIT\r\n"u8.ToArray();

    private readonly FuzzFixture _fixture;
    private readonly RecordingLog _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IPEndPoint _inside;
    private readonly IPEndPoint _internet;
    private readonly AgentRuntime _runtime;

    /// <summary>Starts the sink and the gateway on free loopback ports.</summary>
    public GatewaySessionTarget(FuzzFixture fixture)
    {
        _fixture = fixture;
        var sink = new IPEndPoint(IPAddress.Loopback, FreePort());
        _inside = new IPEndPoint(IPAddress.Loopback, FreePort());
        _internet = new IPEndPoint(IPAddress.Loopback, FreePort());
        _runtime = AgentRuntimeFactory.CreateForPolicy(fixture.Policy, new AgentSettings(), _log, fixture.SpoolDirectory);
        var options = new GatewayOptions(
            Path(fixture, "policy.xml"),
            new[] { new GatewayListener(_inside, GatewayOrigin.Inside), new GatewayListener(_internet, GatewayOrigin.Internet) },
            sink,
            sink,
            fixture.SpoolDirectory,
            "gateway.fuzz.example");
        StartSink(sink, _stop.Token);
        _ = Task.Run(() => new GatewayHost(options, _runtime).RunAsync(_stop.Token), CancellationToken.None);
        WaitUntilListening(_inside);
        WaitUntilListening(_internet);
        WaitUntilListening(sink);
    }

    /// <inheritdoc />
    public string Name => "gateway";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        _log.Clear();
        var internet = input.AsSpan().StartsWith(InternetMarker);
        var payload = internet ? input[InternetMarker.Length..] : input;
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.Connect(internet ? _internet : _inside);
            var reader = Task.Run(() => DrainUntilClosed(client), CancellationToken.None);
            try
            {
                client.Send(payload);
                client.Send(Closing);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The server may close first (too many bad commands): what it already read is the input.
            }

            if (!reader.Wait(SessionBudget))
            {
                throw new FuzzFindingException($"the SMTP session did not end within {SessionBudget.TotalSeconds:0} s of the client closing");
            }
        }

        // The session thread may still be disposing its spool file after the last reply: give it a moment.
        for (var attempt = 0; attempt < 100 && _fixture.SpoolHasFiles(); attempt++)
        {
            Thread.Sleep(10);
        }

        _log.ThrowIfAny(EventIds.GatewayInternalError, EventIds.InternalError);
        foreach (var faulted in _log.Of(EventIds.GatewaySessionFaulted))
        {
            if (!IsClientProtocolError(faulted.Exception))
            {
                throw new FuzzFindingException($"event {faulted.Event.Id}: {faulted.Message}", faulted.Exception ?? new InvalidOperationException("no exception"));
            }
        }

        foreach (var failed in _log.Of(EventIds.GatewayReinjectionFailed))
        {
            if (!IsDocumentedRefusal(failed.Exception))
            {
                throw new FuzzFindingException($"event {failed.Event.Id}: {failed.Message}", failed.Exception ?? new InvalidOperationException("no exception"));
            }
        }

        _fixture.EnsureSpoolEmpty();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _runtime.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// SmtpServer's command parser throwing on a command Postfix never sends (a MAIL parameter twice): the library
    /// faults the session, the gateway logs event 5008 and the client retries. Not the gateway's code; fuzz/README.md.
    /// </summary>
    private static bool IsClientProtocolError(Exception? exception)
        => exception?.StackTrace?.Contains("SmtpServer.Protocol.SmtpParser", StringComparison.Ordinal) == true;

    /// <summary>
    /// The outcomes event 5004 documents (a 4xx, the message stays with Postfix): a transform refused
    /// (MessageTransformException), the re-injection service refused a copy (the sink, like Postfix, refuses what it
    /// cannot take), or the copy is not MIME at all, so MailKit cannot send it: no header field before the body, or
    /// no content. Postfix never hands such a message over (its cleanup puts a Received: field on top of every one).
    /// </summary>
    private static bool IsDocumentedRefusal(Exception? exception) => exception switch
    {
        MessageTransformException => true,
        MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException => true,
        FormatException format => format.StackTrace?.Contains("MimeKit.MimeParser", StringComparison.Ordinal) == true,
        _ => false,
    };

    private static void DrainUntilClosed(Socket client)
    {
        var buffer = new byte[4096];
        try
        {
            while (client.Receive(buffer) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset by the server: the session is over all the same.
        }
    }

    private static string Path(FuzzFixture fixture, string name) => System.IO.Path.Combine(fixture.Directory, name);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void WaitUntilListening(IPEndPoint endPoint)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(endPoint);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"nothing listens on {endPoint}");
    }

    /// <summary>Postfix's re-injection service as far as the gateway can tell: accepts every message and drops it.</summary>
    private static void StartSink(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.fuzz.example")
            .Endpoint(e => e.Endpoint(endPoint).IsSecure(false).AuthenticationRequired(false))
            .Build();
        var services = new ServiceProvider();
        services.Add(new DiscardingStore());
        // Postfix writes a reply in one piece; SmtpServer with Nagle on can hold the second of two small writes for
        // the gateway's delayed ACK (40 ms per copy on Linux), which would time the ACK clock instead of the gateway.
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new NoDelayListenerFactory(1, () => { }));
        var server = new SmtpServer.SmtpServer(options, services);
        _ = Task.Run(() => server.StartAsync(cancellationToken), CancellationToken.None);
    }

    private sealed class DiscardingStore : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
            => Task.FromResult(SmtpResponse.Ok);
    }
}
