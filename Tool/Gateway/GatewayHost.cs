using System;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using SmtpServer;
using SmtpServer.ComponentModel;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// The SMTP side of `eea gateway`: listens on exactly the configured addresses (no TLS, no AUTH: Postfix talks to
/// it over loopback), and hands every message to <see cref="GatewayRelay"/>.
/// </summary>
internal sealed class GatewayHost
{
    /// <summary>Larger than Postfix's default message_size_limit (10 MB), so Postfix is the one that enforces size.</summary>
    internal const int MaxMessageSize = 256 * 1024 * 1024;

    private readonly GatewayOptions _options;
    private readonly AgentRuntime _runtime;

    public GatewayHost(GatewayOptions options, AgentRuntime runtime)
    {
        _options = options;
        _runtime = runtime;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; sessions in progress are cut (Postfix retries them).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var builder = new SmtpServerOptionsBuilder()
            .ServerName(_options.HostName)
            .MaxMessageSize(MaxMessageSize, MaxMessageSizeHandling.Strict)
            .CommandWaitTimeout(TimeSpan.FromMinutes(5));
        foreach (var listener in _options.Listeners)
        {
            builder = builder.Endpoint(e => e.Endpoint(listener.EndPoint).IsSecure(false).AuthenticationRequired(false));
        }

        using var relay = new GatewayRelay(_runtime, _options);
        var services = new ServiceProvider();
        services.Add(new GatewayMessageStore(relay, _runtime, _options.Listeners));
        services.Add((SmtpServer.Storage.IMailboxFilter)new EnvelopeAddressFilter(_runtime.Log));
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new NoDelayListenerFactory(
            _options.Listeners.Count,
            () => _runtime.Log.Write(EventIds.GatewayStarted, $"Gateway started: {_options}.")));
        var server = new global::SmtpServer.SmtpServer(builder.Build(), services);
        new DataPhaseWatch(_runtime.Log).Attach(server);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        _runtime.Log.Write(EventIds.GatewayStopped, "Gateway stopped.");
    }
}
