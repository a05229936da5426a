using System;
using System.Xml;
using System.Xml.Linq;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Reading helpers for schema-checked policy XML. They never report: a value the schema rejects falls back to the
/// default here, and the schema error says what is wrong.
/// </summary>
internal static class PolicyXml
{
    public static readonly string Ns = PolicySchema.Namespace;

    public static (int Line, int Column) Position(XObject node)
        => node is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

    public static XName X(string localName) => XName.Get(localName, Ns);

    public static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;

    public static bool Bool(XElement element, string name, bool defaultValue)
    {
        var attribute = element.Attribute(name);
        if (attribute is null)
        {
            return defaultValue;
        }

        switch (attribute.Value.Trim())
        {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                return defaultValue; // the schema reports it
        }
    }

    public static T Enum<T>(XElement element, string name, T defaultValue)
        where T : struct
        => OptionalEnum<T>(element, name) ?? defaultValue;

    public static T? OptionalEnum<T>(XElement element, string name)
        where T : struct
    {
        var value = element.Attribute(name)?.Value.Trim();
        return value is not null && !int.TryParse(value, out _) && System.Enum.TryParse<T>(value, out var parsed) ? parsed : null;
    }
}
