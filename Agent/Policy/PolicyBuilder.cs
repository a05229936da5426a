using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Policy.Model;
using static ExchangeEncryptionAgent.Policy.PolicyXml;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Turns a schema-checked &lt;Policy&gt; element into the model and checks what a schema cannot: unique names and
/// priorities, regular expressions, dates, keys, the forced-TLS connector. Tolerant of schema-invalid input (the
/// schema errors are reported separately), so that one load reports every problem. The sections are read by
/// <see cref="SettingsReader"/>, <see cref="CertificatesReader"/>, <see cref="ConditionReader"/> and
/// <see cref="ActionReader"/>, in document order, because rules are checked against settings and keys.
/// </summary>
internal sealed class PolicyBuilder
{
    /// <summary>Marks the warning that the insecure plain-text fallback is configured (it gets its own event).</summary>
    internal const string InsecureFallbackMarker = "DeliverInPlainTextInsecure";

    private readonly string _sourcePath;
    private readonly string _sha256;
    private readonly PolicyReadContext _context;
    private readonly ConditionReader _conditions;
    private readonly ActionReader _actions;

    public PolicyBuilder(string file, string sourcePath, string sha256)
    {
        _sourcePath = sourcePath;
        _sha256 = sha256;
        _context = new PolicyReadContext(file);
        _conditions = new ConditionReader(_context);
        _actions = new ActionReader(_context);
    }

    public IReadOnlyList<PolicyError> Errors => _context.Errors;

    public IReadOnlyList<PolicyError> Warnings => _context.Warnings;

    public static string RuleDisplayName(XElement rule)
    {
        var name = (string?)rule.Attribute("Name");
        return string.IsNullOrEmpty(name) ? "(unnamed)" : name!;
    }

    public PolicySet Build(XElement root)
    {
        var settingsElement = root.Element(X("Settings"));
        if (settingsElement is not null)
        {
            _context.Settings = new SettingsReader(_context).Read(settingsElement);
        }

        var certificatesElement = root.Element(X("Certificates"));
        if (certificatesElement is not null)
        {
            _context.Certificates = new CertificatesReader(_context).Read(certificatesElement);
        }

        var rules = new List<PolicyRule>();
        foreach (var ruleElement in root.Element(X("Rules"))?.Elements(X("Rule")) ?? Enumerable.Empty<XElement>())
        {
            _context.CurrentRule = RuleDisplayName(ruleElement);
            var rule = BuildRule(ruleElement);
            if (rule is not null)
            {
                rules.Add(rule);
            }

            _context.CurrentRule = null;
        }

        CheckUniqueRules(rules);

        // Build the evaluation caches now, before the policy is published to transport threads.
        foreach (var rule in rules)
        {
            _ = rule.Plan;
        }

        _ = _context.Settings.OrganizationDomainSet;
        return new PolicySet
        {
            Settings = _context.Settings,
            Certificates = _context.Certificates,

            // Stable sort: priorities are unique in a valid policy, so the order never depends on the file order.
            Rules = rules.OrderBy(r => r.Priority).ToArray(),
            SourcePath = _sourcePath,
            Sha256 = _sha256,
        };
    }

    private PolicyRule? BuildRule(XElement element)
    {
        var name = Attr(element, "Name");
        var priorityText = Attr(element, "Priority");
        if (name is null || priorityText is null
            || !int.TryParse(priorityText, NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
        {
            return null; // the schema reports the missing or malformed attribute
        }

        var activation = _context.Date(element, "ActivationDate");
        var expiry = _context.Date(element, "ExpiryDate");
        if (activation is not null && expiry is not null && activation >= expiry)
        {
            _context.Error(element.Attribute("ExpiryDate")!, "ExpiryDate must be later than ActivationDate");
        }

        var senderLocation = Enum(element, "SenderAddressLocation", SenderAddressLocation.Header);
        var conditions = _conditions.Read(element.Element(X("Conditions")), exceptIf: false, senderLocation);
        var exceptions = _conditions.Read(element.Element(X("Exceptions")), exceptIf: true, senderLocation);
        var actionsElement = element.Element(X("Actions"));
        var actions = new List<PolicyAction>();
        var stop = Bool(element, "StopRuleProcessing", false);
        foreach (var actionElement in actionsElement?.Elements() ?? Enumerable.Empty<XElement>())
        {
            if (actionElement.Name.LocalName == "StopRuleProcessing")
            {
                // The action and the attribute mean the same thing; the model keeps one flag.
                stop = true;
                continue;
            }

            var action = _actions.Read(actionElement, name);
            if (action is not null)
            {
                actions.Add(action);
            }
        }

        return new PolicyRule
        {
            Name = name,
            Priority = priority,
            Enabled = Bool(element, "Enabled", true),
            Mode = Enum(element, "Mode", RuleMode.Enforce),
            ActivationDate = activation,
            ExpiryDate = expiry,
            StopRuleProcessing = stop,
            RuleErrorAction = Enum(element, "RuleErrorAction", Model.RuleErrorAction.Protect),
            SenderAddressLocation = senderLocation,
            Comments = Attr(element, "Comments"),
            Conditions = conditions,
            Exceptions = exceptions,
            Actions = actions,
            Location = _context.Location(element),
        };
    }

    private void CheckUniqueRules(List<PolicyRule> rules)
    {
        var names = new Dictionary<string, PolicyRule>(StringComparer.OrdinalIgnoreCase);
        var priorities = new Dictionary<int, PolicyRule>();
        foreach (var rule in rules)
        {
            var (line, column) = ParseLocation(rule.Location);
            if (names.TryGetValue(rule.Name, out var sameName))
            {
                _context.AddError(new PolicyError(_context.File, line, column, rule.Name,
                    $"duplicate rule name: '{sameName.Name}' is already defined at line {ParseLocation(sameName.Location).Line} (names are case-insensitive)"));
            }
            else
            {
                names.Add(rule.Name, rule);
            }

            if (priorities.TryGetValue(rule.Priority, out var samePriority))
            {
                _context.AddError(new PolicyError(_context.File, line, column, rule.Name,
                    $"duplicate priority {rule.Priority}: rule '{samePriority.Name}' (line {ParseLocation(samePriority.Location).Line}) has it already; priorities must be unique"));
            }
            else
            {
                priorities.Add(rule.Priority, rule);
            }
        }
    }

    private static (int Line, int Column) ParseLocation(string location)
    {
        var parts = location.Split(':');
        return parts.Length >= 3
               && int.TryParse(parts[parts.Length - 2], NumberStyles.None, CultureInfo.InvariantCulture, out var line)
               && int.TryParse(parts[parts.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var column)
            ? (line, column)
            : (0, 0);
    }
}
