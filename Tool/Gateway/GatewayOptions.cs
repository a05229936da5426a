using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>What `eea gateway` was told on its command line (docs/gateway.md).</summary>
internal sealed class GatewayOptions
{
    /// <summary>Creates the options; <paramref name="listeners"/> is never empty.</summary>
    public GatewayOptions(string policyPath, IReadOnlyList<GatewayListener> listeners, IPEndPoint reinject, IPEndPoint? reinjectTls, string spoolDirectory, string hostName)
    {
        PolicyPath = policyPath;
        Listeners = listeners;
        Reinject = reinject;
        ReinjectTls = reinjectTls;
        SpoolDirectory = spoolDirectory;
        HostName = hostName;
    }

    public string PolicyPath { get; }

    public IReadOnlyList<GatewayListener> Listeners { get; }

    /// <summary>Postfix's re-injection service (a smtpd without content_filter).</summary>
    public IPEndPoint Reinject { get; }

    /// <summary>Postfix's forced-TLS re-injection service (its transport requires verified TLS), or null.</summary>
    public IPEndPoint? ReinjectTls { get; }

    /// <summary>Where messages are spooled while they are processed (0700; files 0600, deleted on close).</summary>
    public string SpoolDirectory { get; }

    /// <summary>The name used in EHLO, the greeting and the Reporting-MTA of DSNs.</summary>
    public string HostName { get; }

    /// <summary>
    /// Parses "ADDRESS:PORT" ("127.0.0.1:10025", "[::1]:10025"). Host names are refused on purpose: the gateway
    /// binds and connects to exactly what it is told, with no resolver in between.
    /// </summary>
    public static IPEndPoint? ParseEndPoint(string text, out string? problem)
    {
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port is > 0 and <= 65535
            && text.LastIndexOf(':') > 0 && int.TryParse(text[(text.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            problem = null;
            return endPoint;
        }

        problem = $"'{text}' is not ADDRESS:PORT (an IP address and a port, e.g. 127.0.0.1:10025)";
        return null;
    }

    /// <inheritdoc />
    public override string ToString()
        => $"listen {string.Join(", ", Listeners.Select(l => $"{l.EndPoint} ({l.Origin})"))}; "
           + $"re-inject {Reinject}" + (ReinjectTls is null ? string.Empty : $", forced TLS {ReinjectTls}");
}
