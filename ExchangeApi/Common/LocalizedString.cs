using System;

namespace Microsoft.Exchange.Data.Common;

// Exchange's localizable text. Only the plain-text form exists here: the simulator builds LocalizedExceptions with it.
public struct LocalizedString : IEquatable<LocalizedString>
{
    public static LocalizedString Empty;

    private readonly string? _value;

    public LocalizedString(string value)
    {
        _value = value;
    }

    public bool IsEmpty => string.IsNullOrEmpty(_value);

    public override string ToString() => _value ?? string.Empty;

    public bool Equals(LocalizedString that) => string.Equals(_value, that._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is LocalizedString other && Equals(other);

    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    public static bool operator ==(LocalizedString s1, LocalizedString s2) => s1.Equals(s2);

    public static bool operator !=(LocalizedString s1, LocalizedString s2) => !s1.Equals(s2);
}
