using System;

namespace Microsoft.Exchange.Data.Transport;

[Serializable]
public struct RoutingDomain : IEquatable<RoutingDomain>, IComparable<RoutingDomain>, IComparable
{
    public const string Smtp = "smtp";

    public static readonly RoutingDomain Empty;

    private readonly string? _domain;
    private readonly string? _type;

    public RoutingDomain(string domain)
        : this(domain, Smtp)
    {
    }

    // Non-SMTP address types are allowed (X400, custom connector address spaces); the type must not contain ':'.
    public RoutingDomain(string domain, string type)
    {
        if (string.IsNullOrEmpty(type) || type.IndexOf(':') >= 0)
        {
            throw new FormatException("The address type is not valid: " + type);
        }

        var isSmtp = string.Equals(type, Smtp, StringComparison.OrdinalIgnoreCase);
        if (isSmtp ? !SmtpSyntax.IsValidDomain(domain) : string.IsNullOrEmpty(domain))
        {
            throw new FormatException("The domain is not valid: " + domain);
        }

        _domain = domain;
        _type = isSmtp ? Smtp : type;
    }

    public string Domain => _domain ?? string.Empty;

    public string Type => _type ?? string.Empty;

    public static RoutingDomain Parse(string domain) => new(domain);

    public static bool TryParse(string domain, out RoutingDomain routingDomain)
    {
        if (SmtpSyntax.IsValidDomain(domain))
        {
            routingDomain = new RoutingDomain(domain);
            return true;
        }

        routingDomain = Empty;
        return false;
    }

    public static RoutingDomain GetDomainPart(RoutingAddress address)
    {
        var domain = address.DomainPart;
        return domain is null ? Empty : new RoutingDomain(domain);
    }

    public bool IsSmtp() => string.Equals(_type, Smtp, StringComparison.Ordinal);

    public bool IsValid() => IsSmtp() && SmtpSyntax.IsValidDomain(_domain);

    public int CompareTo(RoutingDomain other) => string.Compare(ToString(), other.ToString(), StringComparison.OrdinalIgnoreCase);

    public int CompareTo(object? obj)
    {
        if (obj is RoutingDomain other)
        {
            return CompareTo(other);
        }

        throw new ArgumentException("The object is not a RoutingDomain.", nameof(obj));
    }

    public bool Equals(RoutingDomain other) =>
        string.Equals(_type, other._type, StringComparison.OrdinalIgnoreCase)
        && string.Equals(_domain, other._domain, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is RoutingDomain other && Equals(other);

    public override int GetHashCode() => _domain is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(ToString());

    // Exchange quirk: includes the address type, "smtp:contoso.com", not just the domain.
    public override string ToString() => _domain is null ? string.Empty : _type + ":" + _domain;
}
