using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using static ExchangeEncryptionAgent.Policy.PolicyXml;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// The state one load shares between the section readers: where errors and warnings go, which rule is being read,
/// and the settings and certificates read so far (rules check their actions against them). Also the checks that
/// report an error with a clear message.
/// </summary>
internal sealed class PolicyReadContext
{
    // Headers a rule may not set or remove: they carry the MIME structure, and rewriting them breaks the message.
    private static readonly HashSet<string> StructuralHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Content-Disposition",
    };

    // The end of an xs:date or xs:dateTime that carries a time zone: Z or +hh:mm / -hh:mm.
    private static readonly System.Text.RegularExpressions.Regex OffsetSuffix = new(
        @"(Z|[+-][0-9]{2}:[0-9]{2})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly List<PolicyError> _errorList = new();
    private readonly List<PolicyError> _warningList = new();

    public PolicyReadContext(string file)
    {
        File = file;
    }

    /// <summary>The file name errors carry.</summary>
    public string File { get; }

    public IReadOnlyList<PolicyError> Errors => _errorList;

    public IReadOnlyList<PolicyError> Warnings => _warningList;

    /// <summary>The rule being read (errors name it); null outside rules.</summary>
    public string? CurrentRule { get; set; }

    /// <summary>&lt;Settings&gt; as read (defaults until then).</summary>
    public PolicySettings Settings { get; set; } = new();

    /// <summary>&lt;Certificates&gt; as read (empty until then).</summary>
    public CertificateSettings Certificates { get; set; } = new();

    public string? Ascii(XElement element, string name)
    {
        var attribute = element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }

        if (attribute.Value.Length == 0 || attribute.Value.Any(c => c < ' ' || c > '~'))
        {
            Error(attribute, $"{name} must be printable US-ASCII text (it goes into an SMTP reply or an outer header)");
            return null;
        }

        return attribute.Value;
    }

    public string? Printable(XElement element, string name)
    {
        var attribute = element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }

        if (attribute.Value.Any(char.IsControl))
        {
            Error(attribute, $"{name} may not contain control characters or line breaks");
            return null;
        }

        return attribute.Value;
    }

    public DateTimeOffset? Date(XElement element, string name)
    {
        var attribute = element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }

        // A date or date-time must say which time zone it means. Exchange reads an offset-less date as the server's
        // local time; reading it as UTC here would silently shift a rule written the Exchange way by hours, so we
        // refuse it and ask for the offset instead.
        var text = attribute.Value.Trim();
        var zone = OffsetSuffix.Match(text);
        if (!zone.Success)
        {
            Error(attribute, $"{name} '{text}' has no UTC offset: write 2025-01-31T00:00:00Z for UTC or 2025-01-31T00:00:00+01:00 "
                + "for a local time (Exchange reads a date without offset as the server's local time; this agent does not guess)");
            return null;
        }

        // xs:date with a zone (2025-01-31Z, 2025-01-31+01:00) means midnight in that zone.
        if (text.Length == 10 + zone.Length)
        {
            text = text.Insert(10, "T00:00:00");
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        Error(attribute, $"{name} '{attribute.Value}' is not a date and time (write 2025-01-31T08:00:00Z or 2025-01-31T08:00:00+01:00)");
        return null;
    }

    public bool TryDuration(XObject at, string text, out TimeSpan value)
    {
        try
        {
            value = XmlConvert.ToTimeSpan(text.Trim());
            return true;
        }
        catch (FormatException)
        {
            Error(at, $"'{text.Trim()}' is not an xs:duration (for example PT0.5S or PT10M)");
        }
        catch (OverflowException)
        {
            Error(at, $"'{text.Trim()}' is too long a duration");
        }

        value = TimeSpan.Zero;
        return false;
    }

    public bool TrySize(XObject at, string text, out long bytes)
    {
        if (SizeParser.TryParse(text, out bytes))
        {
            return true;
        }

        Error(at, $"'{text.Trim()}' is not a size (write a byte count, or a number with KB, MB or GB)");
        return false;
    }

    public string Location(XObject node)
    {
        var (line, column) = Position(node);
        return string.Format(CultureInfo.InvariantCulture, "{0}:{1}:{2}", File, line, column);
    }

    public void AddError(PolicyError error) => _errorList.Add(error);

    public void Error(XObject at, string message)
    {
        var (line, column) = Position(at);
        _errorList.Add(new PolicyError(File, line, column, CurrentRule, message));
    }

    public void Warning(XObject at, string message)
    {
        var (line, column) = Position(at);
        _warningList.Add(new PolicyError(File, line, column, CurrentRule, message));
    }

    public void RequireForcedTls(XElement element)
    {
        if (Settings.ForcedTls is null)
        {
            Error(element, "RouteRequireTls needs <Settings><ForcedTls AddressSpace=\"...\"/>, the address space of the send connector that requires TLS");
        }
    }

    public string? StatusCode(XElement element)
    {
        var attribute = element.Attribute("EnhancedStatusCode");
        if (attribute is null)
        {
            return null;
        }

        var code = attribute.Value.Trim();
        var parts = code.Split('.');
        var valid = parts.Length == 3 && parts[0] == "5" && parts[1] == "7"
                    && (parts[2] == "1" || (parts[2].Length == 3 && parts[2][0] == '9' && parts[2][1] is >= '0' and <= '9' && parts[2][2] is >= '0' and <= '9'));
        if (!valid)
        {
            Error(attribute, $"EnhancedStatusCode must be 5.7.1 or 5.7.900 to 5.7.999 (Exchange's rule); found '{code}'");
            return null;
        }

        return code;
    }

    public bool CheckHeaderName(XAttribute attribute, string name, bool allowStructural)
    {
        if (name.Length == 0 || name.Length > 128 || name.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            Error(attribute, $"'{TextNormalizer.Excerpt(name)}' is not a header name (printable ASCII without spaces or ':')");
            return false;
        }

        if (!allowStructural && StructuralHeaders.Contains(name))
        {
            Error(attribute, $"'{name}' carries the MIME structure; rules may not set or remove it");
            return false;
        }

        return true;
    }
}
