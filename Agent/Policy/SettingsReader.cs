using System;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using static ExchangeEncryptionAgent.Policy.PolicyXml;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Reads &lt;Settings&gt;.</summary>
internal sealed class SettingsReader
{
    private readonly PolicyReadContext _context;

    public SettingsReader(PolicyReadContext context)
    {
        _context = context;
    }

    public PolicySettings Read(XElement element)
    {
        var defaults = new PolicySettings();
        var domains = element.Element(X("OrganizationDomains"))?.Elements(X("Domain")).Select(d => d.Value.Trim()).ToArray()
                      ?? Array.Empty<string>();
        ForcedTlsSettings? forcedTls = null;
        var forcedTlsElement = element.Element(X("ForcedTls"));
        if (forcedTlsElement is not null)
        {
            forcedTls = new ForcedTlsSettings
            {
                AddressSpace = Attr(forcedTlsElement, "AddressSpace") ?? string.Empty,
                TlsDomain = Attr(forcedTlsElement, "TlsDomain"),
            };
        }

        var regexTimeout = defaults.RegexTimeout;
        var timeoutElement = element.Element(X("RegexTimeout"));
        if (timeoutElement is not null && _context.TryDuration(timeoutElement, timeoutElement.Value, out var timeout))
        {
            if (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromSeconds(10))
            {
                _context.Error(timeoutElement, $"RegexTimeout must be between 1 millisecond and 10 seconds (for example PT0.1S); found {timeoutElement.Value.Trim()}");
            }
            else
            {
                regexTimeout = timeout;
            }
        }

        var budget = defaults.EvaluationBudget;
        var budgetElement = element.Element(X("EvaluationBudget"));
        if (budgetElement is not null && _context.TryDuration(budgetElement, budgetElement.Value, out var parsedBudget))
        {
            if (parsedBudget < TimeSpan.FromMilliseconds(10) || parsedBudget > TimeSpan.FromSeconds(60))
            {
                _context.Error(budgetElement, $"EvaluationBudget must be between 10 milliseconds and 60 seconds (for example PT2S); found {budgetElement.Value.Trim()}");
            }
            else
            {
                budget = parsedBudget;
            }
        }

        var scanLimit = defaults.AttachmentScanLimitBytes;
        var scanElement = element.Element(X("AttachmentScanLimit"));
        if (scanElement is not null && _context.TrySize(scanElement, scanElement.Value, out var limit))
        {
            if (limit > 64L * 1024 * 1024)
            {
                _context.Error(scanElement, "AttachmentScanLimit may be at most 64 MB");
            }
            else
            {
                scanLimit = limit;
            }
        }

        var depthElement = element.Element(X("MaxNestingDepth"));
        var depth = depthElement is not null && int.TryParse(depthElement.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            ? d
            : defaults.MaxSmimeNestingDepth;
        var levelElement = element.Element(X("DecisionLogLevel"));
        var level = levelElement is not null && System.Enum.TryParse<AgentEventLevel>(levelElement.Value.Trim(), out var parsedLevel)
            ? parsedLevel
            : defaults.DecisionLogLevel;
        var tnefElement = element.Element(X("TnefHandling"));
        var tnef = tnefElement is not null && System.Enum.TryParse<TnefHandling>(tnefElement.Value.Trim(), out var parsedTnef)
            ? parsedTnef
            : defaults.TnefHandling;
        var auditElement = element.Element(X("AuditHeader"));
        return new PolicySettings
        {
            OrganizationDomains = domains,
            ForcedTls = forcedTls,
            StampAuditHeader = auditElement is null || Bool(auditElement, "Enabled", true),
            StampAuditHeaderOnOutsideCopies = auditElement is not null && Bool(auditElement, "OutsideCopies", false),
            DecisionLogLevel = level,
            RegexTimeout = regexTimeout,
            EvaluationBudget = budget,
            AttachmentScanLimitBytes = scanLimit,
            MaxSmimeNestingDepth = depth,
            TnefHandling = tnef,
        };
    }

}
