using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using static ExchangeEncryptionAgent.Policy.PolicyXml;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Reads &lt;Conditions&gt; and &lt;Exceptions&gt; (the ExceptIf twins map onto the same condition classes).</summary>
internal sealed class ConditionReader
{
    private readonly PolicyReadContext _context;

    public ConditionReader(PolicyReadContext context)
    {
        _context = context;
    }

    /// <summary>Reads the conditions of one list; sender conditions read the address <paramref name="senderLocation"/> names.</summary>
    public IReadOnlyList<PolicyCondition> Read(XElement? list, bool exceptIf, SenderAddressLocation senderLocation = SenderAddressLocation.Header)
    {
        if (list is null)
        {
            return Array.Empty<PolicyCondition>();
        }

        var result = new List<PolicyCondition>();
        foreach (var element in list.Elements())
        {
            var name = element.Name.LocalName;
            if (element.Name.Namespace != Ns || (exceptIf && !name.StartsWith("ExceptIf", StringComparison.Ordinal)))
            {
                continue; // the schema reports the unknown element
            }

            var condition = BuildCondition(element, exceptIf ? name.Substring("ExceptIf".Length) : name, senderLocation);
            if (condition is not null)
            {
                result.Add(condition);
            }
        }

        return result;
    }

    private PolicyCondition? BuildCondition(XElement element, string name, SenderAddressLocation senderLocation)
    {
        var location = _context.Location(element);
        switch (name)
        {
            case "FromScope":
                return TryScope(element, out var fromScope) ? new FromScopeCondition(fromScope) { Location = location } : null;
            case "SentToScope":
                return TryScope(element, out var toScope) ? new SentToScopeCondition(toScope) { Location = location } : null;
            case "From":
                return new FromCondition(Values(element), senderLocation) { Location = location };
            case "SentTo":
                return new SentToCondition(Values(element)) { Location = location };
            case "AnyOfToCcHeader":
                return new AnyOfToCcHeaderCondition(Values(element)) { Location = location };
            case "SenderDomainIs":
                return new SenderDomainIsCondition(Values(element), senderLocation) { Location = location };
            case "RecipientDomainIs":
                return new RecipientDomainIsCondition(Values(element)) { Location = location };
            case "FromAddressMatchesPatterns":
                return Patterns(element) is { } p1 ? new FromAddressMatchesPatternsCondition(p1, senderLocation) { Location = location } : null;
            case "RecipientAddressMatchesPatterns":
                return Patterns(element) is { } p2 ? new RecipientAddressMatchesPatternsCondition(p2) { Location = location } : null;
            case "HeaderContainsWords":
                return HeaderName(element) is { } h1 ? new HeaderContainsWordsCondition(h1, Words(element)) { Location = location } : null;
            case "HeaderMatchesPatterns":
                return HeaderName(element) is { } h2 && Patterns(element) is { } p3 ? new HeaderMatchesPatternsCondition(h2, p3) { Location = location } : null;
            case "SubjectContainsWords":
                return new SubjectContainsWordsCondition(Words(element)) { Location = location };
            case "SubjectMatchesPatterns":
                return Patterns(element) is { } p4 ? new SubjectMatchesPatternsCondition(p4) { Location = location } : null;
            case "SubjectOrBodyContainsWords":
                return new SubjectOrBodyContainsWordsCondition(Words(element)) { Location = location };
            case "SubjectOrBodyMatchesPatterns":
                return Patterns(element) is { } p5 ? new SubjectOrBodyMatchesPatternsCondition(p5) { Location = location } : null;
            case "AttachmentNameMatchesPatterns":
                return Patterns(element) is { } p6 ? new AttachmentNameMatchesPatternsCondition(p6) { Location = location } : null;
            case "AttachmentExtensionMatchesWords":
                return new AttachmentExtensionMatchesWordsCondition(Values(element)) { Location = location };
            case "AttachmentContainsWords":
                return new AttachmentContainsWordsCondition(Words(element)) { Location = location };
            case "AttachmentMatchesPatterns":
                return Patterns(element) is { } p7 ? new AttachmentMatchesPatternsCondition(p7) { Location = location } : null;
            case "AttachmentIsUnsupported":
                return new AttachmentIsUnsupportedCondition { Location = location };
            case "AttachmentIsPasswordProtected":
                return new AttachmentIsPasswordProtectedCondition { Location = location };
            case "AttachmentProcessingLimitExceeded":
                return new AttachmentProcessingLimitExceededCondition { Location = location };
            case "AttachmentSizeOver":
                return _context.TrySize(element, element.Value, out var attachmentSize) ? new AttachmentSizeOverCondition(attachmentSize) { Location = location } : null;
            case "MessageSizeOver":
                return _context.TrySize(element, element.Value, out var messageSize) ? new MessageSizeOverCondition(messageSize) { Location = location } : null;
            case "MessageTypeMatches":
                return new MessageTypeMatchesCondition(EnumValues<MessageTypes>(element)) { Location = location };
            case "WithImportance":
                return new WithImportanceCondition(EnumValues<MessageImportance>(element)) { Location = location };
            case "HasSensitivity":
                return new HasSensitivityCondition(EnumValues<MessageSensitivity>(element)) { Location = location };
            case "HasClassification":
                return ReadClassification(element, location);
            case "HasSensitivityLabel":
                return new HasSensitivityLabelCondition(Values(element)) { Location = location };
            default:
                return null; // the schema reports the unknown element
        }
    }

    private static bool TryScope(XElement element, out OrganizationScope scope)
    {
        var text = element.Value.Trim();
        return System.Enum.TryParse(text, out scope) && !int.TryParse(text, out _);
    }

    private HasClassificationCondition? ReadClassification(XElement element, string location)
    {
        var ok = true;
        foreach (var value in element.Elements(X("Value")).Where(v => HasClassificationCondition.ParseId(v.Value) is null))
        {
            // Exchange names classifications in its directory; the agent cannot look names up, and the header
            // carries only the id. A Purview label name here is the likely mistake, so say where those go.
            _context.Error(value, $"HasClassification value '{TextNormalizer.Excerpt(value.Value.Trim())}' is not a classification id: "
                + "write the ClassificationID GUID (Get-MessageClassification | Format-List Name,ClassificationID); "
                + "for a Purview sensitivity label use <HasSensitivityLabel>");
            ok = false;
        }

        return ok ? new HasClassificationCondition(Values(element)) { Location = location } : null;
    }

    private static string[] Values(XElement element)
        => element.Elements(X("Value")).Select(v => v.Value.Trim()).Where(v => v.Length > 0).ToArray();

    private static WordList Words(XElement element) => new(Values(element));

    private static List<T> EnumValues<T>(XElement element)
        where T : struct
    {
        var result = new List<T>();
        foreach (var value in element.Elements(X("Value")))
        {
            if (System.Enum.TryParse<T>(value.Value.Trim(), out var parsed) && !int.TryParse(value.Value.Trim(), out _))
            {
                result.Add(parsed);
            }
        }

        return result;
    }

    private PatternList? Patterns(XElement element)
    {
        var values = element.Elements(X("Value")).ToList();
        var regexes = new List<Regex>(values.Count);
        var ok = true;
        foreach (var value in values)
        {
            try
            {
                regexes.Add(new Regex(value.Value, PatternList.Options, _context.Settings.RegexTimeout));
            }
            catch (ArgumentException ex)
            {
                _context.Error(value, $"invalid regular expression '{TextNormalizer.Excerpt(value.Value)}': {ex.Message}");
                ok = false;
            }
        }

        return ok ? new PatternList(regexes, _context.Settings.RegexTimeout) : null;
    }

    private string? HeaderName(XElement element)
    {
        var header = Attr(element, "Header");
        return header is not null && _context.CheckHeaderName(element.Attribute("Header")!, header, allowStructural: true) ? header : null;
    }

}
