namespace Microsoft.Exchange.Data.Transport;

// Address and domain syntax shared by RoutingAddress, RoutingDomain and the event sources. Written from RFC 5321/5322
// (dot-atom or quoted local part, host-name domain) plus Exchange's documented quirk that IP-literal domains are invalid
// in a RoutingAddress. UTF-8 (RFC 6531) characters are accepted, as RoutingAddress.IsUTF8 implies.
internal static class SmtpSyntax
{
    private const int MaxDomainLength = 255;
    private const int MaxLabelLength = 63;
    private const string AtomSpecials = "!#$%&'*+-/=?^_`{|}~";

    public static bool IsValidDomain(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain!.Length > MaxDomainLength)
        {
            return false;
        }

        var labels = domain.Split('.');
        foreach (var label in labels)
        {
            if (!IsValidLabel(label))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValidAddress(string address) => TrySplit(address, out _, out _);

    // Splits at the last '@' outside a quoted local part; false when either side is not valid.
    public static bool TrySplit(string? address, out string localPart, out string domainPart)
    {
        localPart = string.Empty;
        domainPart = string.Empty;
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        var at = address!.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }

        var local = address.Substring(0, at);
        var domain = address.Substring(at + 1);
        if (!IsValidLocalPart(local) || !IsValidDomain(domain))
        {
            return false;
        }

        localPart = local;
        domainPart = domain;
        return true;
    }

    public static bool HasNonAscii(string? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c > 0x7F)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidLabel(string label)
    {
        if (label.Length == 0 || label.Length > MaxLabelLength || label[0] == '-' || label[label.Length - 1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '-' || c > 0x7F))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidLocalPart(string local)
    {
        if (local.Length >= 2 && local[0] == '"' && local[local.Length - 1] == '"')
        {
            return IsValidQuotedContent(local.Substring(1, local.Length - 2));
        }

        if (local[0] == '.' || local[local.Length - 1] == '.' || local.Contains(".."))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '.' || AtomSpecials.IndexOf(c) >= 0 || c > 0x7F))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidQuotedContent(string content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '\\')
            {
                i++;
                if (i == content.Length)
                {
                    return false;
                }
            }
            else if (c == '"' || c == '\r' || c == '\n' || c == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
