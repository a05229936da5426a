using System;

namespace Microsoft.Exchange.Data.Transport;

[Serializable]
public struct RoutingAddress : IEquatable<RoutingAddress>, IComparable<RoutingAddress>, IComparable
{
    public static readonly RoutingAddress Empty;

    // MAIL FROM:<> (bounces, DSNs). It is not a valid SMTP address: IsValid is false, LocalPart/DomainPart are null.
    public static readonly RoutingAddress NullReversePath = new("<>");

    private readonly string? _address;

    // Exchange quirk: no validation here (check IsValid); null or "" gives Empty.
    public RoutingAddress(string address)
    {
        _address = string.IsNullOrEmpty(address) ? null : address;
    }

    public RoutingAddress(string local, string domain)
    {
        if (local is null)
        {
            throw new ArgumentNullException(nameof(local));
        }

        if (domain is null)
        {
            throw new ArgumentNullException(nameof(domain));
        }

        _address = local + "@" + domain;
    }

    public int Length => _address?.Length ?? 0;

    public string? LocalPart => SmtpSyntax.TrySplit(_address, out var local, out _) ? local : null;

    public string? DomainPart => SmtpSyntax.TrySplit(_address, out _, out var domain) ? domain : null;

    public bool IsValid => _address is not null && SmtpSyntax.IsValidAddress(_address);

    public bool IsUTF8 => SmtpSyntax.HasNonAscii(_address);

    public static bool IsValidAddress(string address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return SmtpSyntax.IsValidAddress(address);
    }

    public static bool IsUTF8Address(string address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return SmtpSyntax.HasNonAscii(address);
    }

    public static RoutingAddress Parse(string address)
    {
        if (!IsValidAddress(address))
        {
            throw new FormatException("The address is not a valid SMTP address: " + address);
        }

        return new RoutingAddress(address);
    }

    public static bool IsEmpty(RoutingAddress address) => address._address is null;

    public static bool operator ==(RoutingAddress left, RoutingAddress right) => left.Equals(right);

    public static bool operator !=(RoutingAddress left, RoutingAddress right) => !left.Equals(right);

    public static explicit operator string(RoutingAddress address) => address.ToString();

    public static explicit operator RoutingAddress(string address) => new(address);

    public int CompareTo(RoutingAddress other) => string.Compare(_address, other._address, StringComparison.OrdinalIgnoreCase);

    public int CompareTo(object? obj)
    {
        if (obj is RoutingAddress other)
        {
            return CompareTo(other);
        }

        throw new ArgumentException("The object is not a RoutingAddress.", nameof(obj));
    }

    public bool Equals(RoutingAddress other) => string.Equals(_address, other._address, StringComparison.OrdinalIgnoreCase);

    // Exchange quirk: comparing with anything that is not a RoutingAddress (a string, null) throws instead of returning false.
    public override bool Equals(object? obj)
    {
        if (obj is RoutingAddress other)
        {
            return Equals(other);
        }

        throw new ArgumentException("The object is not a RoutingAddress.", nameof(obj));
    }

    public override int GetHashCode() => _address is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(_address);

    public override string ToString() => _address ?? string.Empty;
}
