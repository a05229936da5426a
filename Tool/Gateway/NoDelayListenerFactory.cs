using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// SmtpServer's listeners with Nagle's algorithm off on every accepted session. Postfix pipelines MAIL, RCPT and
/// DATA; SmtpServer writes each reply on its own, and with Nagle on, a reply written while the previous one was not
/// yet acknowledged waited for Postfix's delayed ACK (up to 40 ms on Linux) — twice per message, every message,
/// whatever the CPU was doing. Plain sessions only: the gateway listens on loopback without STARTTLS.
/// </summary>
internal sealed class NoDelayListenerFactory : IEndpointListenerFactory
{
    private readonly int _endpoints;
    private readonly Action _allListening;
    private int _bound;

    /// <param name="endpoints">How many endpoints the server was given.</param>
    /// <param name="allListening">
    /// Called once, when the last of them is bound: "started" may only be said then, or a client that connects on the
    /// word (Postfix, a test, a script) can find the port closed.
    /// </param>
    public NoDelayListenerFactory(int endpoints, Action allListening)
    {
        _endpoints = endpoints;
        _allListening = allListening;
    }

    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        if (Interlocked.Increment(ref _bound) == _endpoints)
        {
            _allListening();
        }

        return new Listener(listener);
    }

    private sealed class Listener : IEndpointListener
    {
        private readonly TcpListener _listener;

        public Listener(TcpListener listener) => _listener = listener;

        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            socket.NoDelay = true;
            context.Properties[EndpointListener.LocalEndPointKey] = _listener.LocalEndpoint;
            context.Properties[EndpointListener.RemoteEndPointKey] = socket.RemoteEndPoint!;
            return new PlainPipe(new NetworkStream(socket, ownsSocket: true));
        }

        public void Dispose() => _listener.Stop();
    }

    private sealed class PlainPipe : ISecurableDuplexPipe
    {
        private readonly NetworkStream _stream;

        public PlainPipe(NetworkStream stream)
        {
            _stream = stream;
            Input = System.IO.Pipelines.PipeReader.Create(stream);
            Output = System.IO.Pipelines.PipeWriter.Create(stream);
        }

        public System.IO.Pipelines.PipeReader Input { get; }

        public System.IO.Pipelines.PipeWriter Output { get; }

        public bool IsSecure => false;

        public System.Security.Authentication.SslProtocols SslProtocol => System.Security.Authentication.SslProtocols.None;

        /// <summary>Never called: the gateway's endpoints offer no STARTTLS (Postfix reaches it over loopback).</summary>
        public Task UpgradeAsync(System.Security.Cryptography.X509Certificates.X509Certificate certificate,
            System.Security.Authentication.SslProtocols protocols, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("eea gateway offers no STARTTLS");

        public void Dispose() => _stream.Dispose();
    }
}
