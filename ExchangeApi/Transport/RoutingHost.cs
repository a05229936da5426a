using System;
using System.Net;

namespace Microsoft.Exchange.Data.Transport;

public class RoutingHost
{
    public RoutingHost(string address)
    {
        if (!TryParseCore(address, out var ip, out var hostName))
        {
            throw new FormatException("The routing host is neither an IP address nor a host name: " + address);
        }

        Address = ip;
        HostName = hostName;
    }

    public IPAddress? Address { get; }

    public string HostName { get; }

    public bool IsIPAddress => Address is not null;

    public static RoutingHost Parse(string address) => new(address);

    public static bool TryParse(string address, out RoutingHost? routingHost)
    {
        routingHost = TryParseCore(address, out _, out _) ? new RoutingHost(address) : null;
        return routingHost is not null;
    }

    public override string ToString() => IsIPAddress ? "[" + HostName + "]" : HostName;

    private static bool TryParseCore(string? address, out IPAddress? ip, out string hostName)
    {
        ip = null;
        hostName = string.Empty;
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        var text = address!.Trim();
        if (text.Length > 2 && text[0] == '[' && text[text.Length - 1] == ']')
        {
            text = text.Substring(1, text.Length - 2);
        }

        if (IPAddress.TryParse(text, out var parsed))
        {
            ip = parsed;
            hostName = parsed.ToString();
            return true;
        }

        if (SmtpSyntax.IsValidDomain(text))
        {
            hostName = text;
            return true;
        }

        return false;
    }
}
