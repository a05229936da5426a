using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Turns a schema-checked &lt;Policy&gt; element into the model and checks what a schema cannot: unique names and
/// priorities, regular expressions, dates, keys, the forced-TLS connector. Tolerant of schema-invalid input (the
/// schema errors are reported separately), so that one load reports every problem.
/// </summary>
internal sealed class PolicyBuilder
{
    /// <summary>Marks the warning that the insecure plain-text fallback is configured (it gets its own event).</summary>
    internal const string InsecureFallbackMarker = "DeliverInPlainTextInsecure";

    private static readonly string Ns = PolicySchema.Namespace;

    // Headers a rule may not set or remove: they carry the MIME structure, and rewriting them breaks the message.
    private static readonly HashSet<string> StructuralHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Content-Disposition",
    };

    private static readonly char[] ListSeparators = { ' ', '\t', '\r', '\n' };

    private readonly string _file;
    private readonly string _sourcePath;
    private readonly string _sha256;
    private readonly List<PolicyError> _errors = new();
    private readonly List<PolicyError> _warnings = new();
    private PolicySettings _settings = new();
    private CertificateSettings _certificates = new();
    private string? _currentRule;

    public PolicyBuilder(string file, string sourcePath, string sha256)
    {
        _file = file;
        _sourcePath = sourcePath;
        _sha256 = sha256;
    }

    public IReadOnlyList<PolicyError> Errors => _errors;

    public IReadOnlyList<PolicyError> Warnings => _warnings;

    public static (int Line, int Column) Position(XObject node)
        => node is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

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
            _settings = BuildSettings(settingsElement);
        }

        var certificatesElement = root.Element(X("Certificates"));
        if (certificatesElement is not null)
        {
            _certificates = BuildCertificates(certificatesElement);
        }

        var rules = new List<PolicyRule>();
        foreach (var ruleElement in root.Element(X("Rules"))?.Elements(X("Rule")) ?? Enumerable.Empty<XElement>())
        {
            _currentRule = RuleDisplayName(ruleElement);
            var rule = BuildRule(ruleElement);
            if (rule is not null)
            {
                rules.Add(rule);
            }

            _currentRule = null;
        }

        CheckUniqueRules(rules);

        // Build the evaluation caches now, before the policy is published to transport threads.
        foreach (var rule in rules)
        {
            _ = rule.Plan;
        }

        _ = _settings.OrganizationDomainSet;
        return new PolicySet
        {
            Settings = _settings,
            Certificates = _certificates,

            // Stable sort: priorities are unique in a valid policy, so the order never depends on the file order.
            Rules = rules.OrderBy(r => r.Priority).ToArray(),
            SourcePath = _sourcePath,
            Sha256 = _sha256,
        };
    }

    // ------------------------------------------------------------------ Settings

    private PolicySettings BuildSettings(XElement element)
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
        if (timeoutElement is not null && TryDuration(timeoutElement, timeoutElement.Value, out var timeout))
        {
            if (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromSeconds(10))
            {
                Error(timeoutElement, $"RegexTimeout must be between 1 millisecond and 10 seconds (for example PT0.1S); found {timeoutElement.Value.Trim()}");
            }
            else
            {
                regexTimeout = timeout;
            }
        }

        var scanLimit = defaults.AttachmentScanLimitBytes;
        var scanElement = element.Element(X("AttachmentScanLimit"));
        if (scanElement is not null && TrySize(scanElement, scanElement.Value, out var limit))
        {
            if (limit > 64L * 1024 * 1024)
            {
                Error(scanElement, "AttachmentScanLimit may be at most 64 MB");
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
        var auditElement = element.Element(X("AuditHeader"));
        return new PolicySettings
        {
            OrganizationDomains = domains,
            ForcedTls = forcedTls,
            StampAuditHeader = auditElement is null || Bool(auditElement, "Enabled", true),
            DecisionLogLevel = level,
            RegexTimeout = regexTimeout,
            AttachmentScanLimitBytes = scanLimit,
            MaxSmimeNestingDepth = depth,
        };
    }

    // ------------------------------------------------------------------ Certificates

    private CertificateSettings BuildCertificates(XElement element)
    {
        var revocationElement = element.Element(X("Revocation"));
        var revocation = new RevocationSettings();
        if (revocationElement is not null)
        {
            revocation = new RevocationSettings
            {
                Check = Bool(revocationElement, "Check", true),
                OnlineFetch = Bool(revocationElement, "OnlineFetch", false),
                WhenStatusUnknown = Enum(revocationElement, "WhenStatusUnknown", RevocationUnknownAction.TreatAsUnusable),
                CrlSources = Sources(revocationElement),
            };
        }

        var partners = new List<PartnerSettings>();
        var partnerDomains = new Dictionary<string, XElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var partner in element.Element(X("Partners"))?.Elements(X("Partner")) ?? Enumerable.Empty<XElement>())
        {
            var domain = Attr(partner, "Domain") ?? string.Empty;
            if (partnerDomains.TryGetValue(domain, out var first))
            {
                Error(partner, $"partner domain '{domain}' is already configured at line {Position(first).Line}");
            }
            else
            {
                partnerDomains.Add(domain, partner);
            }

            partners.Add(new PartnerSettings
            {
                Domain = domain,
                ContentEncryption = Enum(partner, "ContentEncryption", ContentEncryptionAlgorithm.Aes256Cbc),
                KeyTransport = Enum(partner, "KeyTransport", KeyTransportAlgorithm.RsaPkcs1),
            });
        }

        var keys = new List<OrganizationKeySettings>();
        var keyNames = new Dictionary<string, XElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in element.Element(X("OrganizationKeys"))?.Elements(X("Key")) ?? Enumerable.Empty<XElement>())
        {
            var name = Attr(key, "Name") ?? string.Empty;
            if (keyNames.TryGetValue(name, out var first))
            {
                Error(key, $"key name '{name}' is already used at line {Position(first).Line}");
            }
            else
            {
                keyNames.Add(name, key);
            }

            keys.Add(BuildKey(key, name));
        }

        var harvestingElement = element.Element(X("Harvesting"));
        var harvesting = new HarvestingSettings();
        if (harvestingElement is not null)
        {
            harvesting = new HarvestingSettings { Enabled = Bool(harvestingElement, "Enabled", false), Folder = Attr(harvestingElement, "Folder") };
            if (harvesting.Enabled && harvesting.Folder is null)
            {
                Error(harvestingElement, "Harvesting Enabled=\"true\" needs a Folder to store harvested certificates in");
            }
        }

        return new CertificateSettings
        {
            TrustAnchors = Sources(element.Element(X("TrustAnchors"))),
            Intermediates = Sources(element.Element(X("Intermediates"))),
            Revocation = revocation,
            PartnerCertificates = Sources(element.Element(X("PartnerCertificates"))),
            Partners = partners,
            OrganizationKeys = keys,
            SenderKeys = Sources(element.Element(X("SenderKeys"))),
            Harvesting = harvesting,
        };
    }

    private OrganizationKeySettings BuildKey(XElement key, string name)
    {
        var usage = Enum(key, "Usage", OrganizationKeyUsage.Signing);
        var store = Attr(key, "Store");
        var certificateFile = Attr(key, "CertificateFile");
        var keyFile = Attr(key, "KeyFile");
        var pfxFile = Attr(key, "PfxFile");
        CertificateSource source;
        if (store is not null)
        {
            if (certificateFile is not null || keyFile is not null || pfxFile is not null)
            {
                Error(key, $"key '{name}': use either Store and Thumbprint or files (CertificateFile/KeyFile or PfxFile), not both");
            }

            if (Attr(key, "Thumbprint") is null)
            {
                Error(key, $"key '{name}': Store needs a Thumbprint to pick one certificate");
            }

            source = new CertificateSource { Kind = CertificateSourceKind.WindowsStore, StoreName = store, Thumbprint = Attr(key, "Thumbprint"), Location = Location(key) };
        }
        else
        {
            if (certificateFile is null && pfxFile is null)
            {
                Error(key, $"key '{name}' needs CertificateFile (with KeyFile), PfxFile, or Store and Thumbprint");
            }
            else if (certificateFile is not null && pfxFile is not null)
            {
                Error(key, $"key '{name}': use either CertificateFile (with KeyFile) or PfxFile, not both");
            }
            else if (usage != OrganizationKeyUsage.Recovery && certificateFile is not null && keyFile is null)
            {
                Error(key, $"key '{name}' is used for {usage} and needs its private key: add KeyFile (or use PfxFile)");
            }

            source = new CertificateSource
            {
                Kind = CertificateSourceKind.File,
                Path = certificateFile,
                KeyFile = keyFile,
                PfxFile = pfxFile,
                PasswordFile = Attr(key, "PasswordFile"),
                Location = Location(key),
            };
        }

        return new OrganizationKeySettings { Name = name, Usage = usage, Source = source };
    }

    private IReadOnlyList<CertificateSource> Sources(XElement? list)
    {
        if (list is null)
        {
            return Array.Empty<CertificateSource>();
        }

        var sources = new List<CertificateSource>();
        foreach (var element in list.Elements())
        {
            var domains = (Attr(element, "Domains") ?? string.Empty).Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries);
            switch (element.Name.LocalName)
            {
                case "File":
                    if (Attr(element, "Path") is null && Attr(element, "PfxFile") is null)
                    {
                        Error(element, "<File> needs Path (a certificate file) or PfxFile");
                    }

                    sources.Add(new CertificateSource
                    {
                        Kind = CertificateSourceKind.File,
                        Path = Attr(element, "Path"),
                        KeyFile = Attr(element, "KeyFile"),
                        PfxFile = Attr(element, "PfxFile"),
                        PasswordFile = Attr(element, "PasswordFile"),
                        Domains = domains,
                        Location = Location(element),
                    });
                    break;
                case "Folder":
                    sources.Add(new CertificateSource { Kind = CertificateSourceKind.Folder, Path = Attr(element, "Path"), Domains = domains, Location = Location(element) });
                    break;
                case "WindowsStore":
                    sources.Add(new CertificateSource
                    {
                        Kind = CertificateSourceKind.WindowsStore,
                        StoreName = Attr(element, "Store"),
                        StoreLocation = Attr(element, "Location") ?? "LocalMachine",
                        Thumbprint = Attr(element, "Thumbprint"),
                        Domains = domains,
                        Location = Location(element),
                    });
                    break;
            }
        }

        return sources;
    }

    // ------------------------------------------------------------------ Rules

    private PolicyRule? BuildRule(XElement element)
    {
        var name = Attr(element, "Name");
        var priorityText = Attr(element, "Priority");
        if (name is null || priorityText is null
            || !int.TryParse(priorityText, NumberStyles.None, CultureInfo.InvariantCulture, out var priority))
        {
            return null; // the schema reports the missing or malformed attribute
        }

        var activation = Date(element, "ActivationDate");
        var expiry = Date(element, "ExpiryDate");
        if (activation is not null && expiry is not null && activation >= expiry)
        {
            Error(element.Attribute("ExpiryDate")!, "ExpiryDate must be later than ActivationDate");
        }

        var conditions = Conditions(element.Element(X("Conditions")), exceptIf: false);
        var exceptions = Conditions(element.Element(X("Exceptions")), exceptIf: true);
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

            var action = BuildAction(actionElement, name);
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
            RuleErrorAction = Enum(element, "RuleErrorAction", Model.RuleErrorAction.Ignore),
            Comments = Attr(element, "Comments"),
            Conditions = conditions,
            Exceptions = exceptions,
            Actions = actions,
            Location = Location(element),
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
                _errors.Add(new PolicyError(_file, line, column, rule.Name,
                    $"duplicate rule name: '{sameName.Name}' is already defined at line {ParseLocation(sameName.Location).Line} (names are case-insensitive)"));
            }
            else
            {
                names.Add(rule.Name, rule);
            }

            if (priorities.TryGetValue(rule.Priority, out var samePriority))
            {
                _errors.Add(new PolicyError(_file, line, column, rule.Name,
                    $"duplicate priority {rule.Priority}: rule '{samePriority.Name}' (line {ParseLocation(samePriority.Location).Line}) has it already; priorities must be unique"));
            }
            else
            {
                priorities.Add(rule.Priority, rule);
            }
        }
    }

    private IReadOnlyList<PolicyCondition> Conditions(XElement? list, bool exceptIf)
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

            var condition = BuildCondition(element, exceptIf ? name.Substring("ExceptIf".Length) : name);
            if (condition is not null)
            {
                result.Add(condition);
            }
        }

        return result;
    }

    private PolicyCondition? BuildCondition(XElement element, string name)
    {
        var location = Location(element);
        switch (name)
        {
            case "FromScope":
                return TryScope(element, out var fromScope) ? new FromScopeCondition(fromScope) { Location = location } : null;
            case "SentToScope":
                return TryScope(element, out var toScope) ? new SentToScopeCondition(toScope) { Location = location } : null;
            case "From":
                return new FromCondition(Values(element)) { Location = location };
            case "SentTo":
                return new SentToCondition(Values(element)) { Location = location };
            case "AnyOfToCcHeader":
                return new AnyOfToCcHeaderCondition(Values(element)) { Location = location };
            case "SenderDomainIs":
                return new SenderDomainIsCondition(Values(element)) { Location = location };
            case "RecipientDomainIs":
                return new RecipientDomainIsCondition(Values(element)) { Location = location };
            case "FromAddressMatchesPatterns":
                return Patterns(element) is { } p1 ? new FromAddressMatchesPatternsCondition(p1) { Location = location } : null;
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
            case "AttachmentSizeOver":
                return TrySize(element, element.Value, out var attachmentSize) ? new AttachmentSizeOverCondition(attachmentSize) { Location = location } : null;
            case "MessageSizeOver":
                return TrySize(element, element.Value, out var messageSize) ? new MessageSizeOverCondition(messageSize) { Location = location } : null;
            case "MessageTypeMatches":
                return new MessageTypeMatchesCondition(EnumValues<MessageTypes>(element)) { Location = location };
            case "WithImportance":
                return new WithImportanceCondition(EnumValues<MessageImportance>(element)) { Location = location };
            case "HasSensitivity":
                return new HasSensitivityCondition(EnumValues<MessageSensitivity>(element)) { Location = location };
            case "HasClassification":
                return new HasClassificationCondition(Values(element)) { Location = location };
            default:
                return null; // the schema reports the unknown element
        }
    }

    private static bool TryScope(XElement element, out OrganizationScope scope)
    {
        var text = element.Value.Trim();
        return System.Enum.TryParse(text, out scope) && !int.TryParse(text, out _);
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
                regexes.Add(new Regex(value.Value, PatternList.Options, _settings.RegexTimeout));
            }
            catch (ArgumentException ex)
            {
                Error(value, $"invalid regular expression '{TextNormalizer.Excerpt(value.Value)}': {ex.Message}");
                ok = false;
            }
        }

        return ok ? new PatternList(regexes, _settings.RegexTimeout) : null;
    }

    private string? HeaderName(XElement element)
    {
        var header = Attr(element, "Header");
        return header is not null && CheckHeaderName(element.Attribute("Header")!, header, allowStructural: true) ? header : null;
    }

    // ------------------------------------------------------------------ Actions

    private PolicyAction? BuildAction(XElement element, string ruleName)
    {
        switch (element.Name.LocalName)
        {
            case "EncryptSmime":
                return new EncryptSmimeAction
                {
                    RuleName = ruleName,
                    Certificate = Enum(element, "Certificate", EncryptionCertificateKind.PersonalOrGateway),
                    MinimumTrust = Enum(element, "MinimumTrust", CertificateTrust.Configured),
                    ContentEncryption = OptionalEnum<ContentEncryptionAlgorithm>(element, "ContentEncryption"),
                    KeyTransport = OptionalEnum<KeyTransportAlgorithm>(element, "KeyTransport"),
                    HeaderProtection = Bool(element, "HeaderProtection", false),
                    SubjectPlaceholder = Ascii(element, "SubjectPlaceholder") ?? "Encrypted message",
                    EvenIfAlreadyEncrypted = Bool(element, "EvenIfAlreadyEncrypted", false),
                    Fallback = Fallback(element),
                };
            case "SignSmime":
                return BuildSign(element, ruleName);
            case "DecryptSmime":
                if (!_certificates.OrganizationKeys.Any(k => k.Usage == OrganizationKeyUsage.Decryption) && _certificates.SenderKeys.Count == 0)
                {
                    Warning(element, "DecryptSmime with no <Key Usage=\"Decryption\"> and no <SenderKeys>: nothing can be decrypted, so every encrypted message gets the OnFailure outcome");
                }

                return new DecryptSmimeAction
                {
                    RuleName = ruleName,
                    Deliver = Enum(element, "Deliver", DecryptedDelivery.Decrypted),
                    OnFailure = Enum(element, "OnFailure", InboundFailureAction.PassThrough),
                };
            case "VerifySmime":
                return new VerifySmimeAction
                {
                    RuleName = ruleName,
                    ValidSubjectTag = Printable(element, "ValidSubjectTag"),
                    InvalidSubjectTag = Printable(element, "InvalidSubjectTag"),
                };
            case "RouteRequireTls":
                RequireForcedTls(element);
                return new RouteRequireTlsAction { RuleName = ruleName };
            case "SetHeader":
            {
                var nameAttribute = element.Attribute("Name");
                var name = nameAttribute?.Value ?? string.Empty;
                if (nameAttribute is not null && CheckHeaderName(nameAttribute, name, allowStructural: false)
                    && name.StartsWith("X-EEA-", StringComparison.OrdinalIgnoreCase))
                {
                    Error(nameAttribute, $"SetHeader may not set '{name}': X-EEA-* headers are stamped by the agent itself");
                }

                return new SetHeaderAction { RuleName = ruleName, Name = name, Value = Printable(element, "Value") ?? string.Empty };
            }

            case "RemoveHeader":
            {
                var nameAttribute = element.Attribute("Name");
                if (nameAttribute is not null)
                {
                    CheckHeaderName(nameAttribute, nameAttribute.Value, allowStructural: false);
                }

                return new RemoveHeaderAction { RuleName = ruleName, Name = nameAttribute?.Value ?? string.Empty };
            }

            case "PrependSubject":
                return new PrependSubjectAction { RuleName = ruleName, Text = Printable(element, "Text") ?? string.Empty };
            case "RejectMessage":
                return new RejectMessageAction
                {
                    RuleName = ruleName,
                    EnhancedStatusCode = StatusCode(element) ?? "5.7.1",
                    Reason = Ascii(element, "Reason") ?? "Delivery not authorized, message refused",
                };
            default:
                return null; // the schema reports the unknown element
        }
    }

    private SignSmimeAction BuildSign(XElement element, string ruleName)
    {
        var signer = Enum(element, "Signer", SignerKind.Organization);
        var organizationKey = Attr(element, "OrganizationKey");
        var signingKeys = _certificates.OrganizationKeys.Where(k => k.Usage == OrganizationKeyUsage.Signing).ToList();
        if (organizationKey is not null)
        {
            if (!signingKeys.Any(k => string.Equals(k.Name, organizationKey, StringComparison.OrdinalIgnoreCase)))
            {
                var known = signingKeys.Count == 0 ? "there is none" : "known: " + string.Join(", ", signingKeys.Select(k => "'" + k.Name + "'"));
                Error(element.Attribute("OrganizationKey")!, $"OrganizationKey '{organizationKey}' names no <Key Usage=\"Signing\"> in <Certificates><OrganizationKeys> ({known})");
            }
        }
        else if (signer != SignerKind.Sender)
        {
            if (signingKeys.Count == 0 && signer == SignerKind.Organization)
            {
                Error(element, "SignSmime signs with the organisation key, but <Certificates><OrganizationKeys> has no <Key Usage=\"Signing\">");
            }
            else if (signingKeys.Count > 1)
            {
                Error(element, "several organisation signing keys are configured: say which one with OrganizationKey=\"...\"");
            }
        }

        return new SignSmimeAction
        {
            RuleName = ruleName,
            Signer = signer,
            OrganizationKey = organizationKey,
            Format = Enum(element, "Format", SignatureFormat.Clear),
            Digest = Enum(element, "Digest", SignatureDigest.Sha256),
            Padding = Enum(element, "Padding", SignaturePadding.Pkcs1),
            Fallback = Fallback(element),
        };
    }

    private FallbackChain Fallback(XElement action)
    {
        var fallback = action.Element(X("Fallback"));
        if (fallback is null)
        {
            return FallbackChain.Default;
        }

        var steps = new List<FallbackStep>();
        XElement? terminal = null;
        foreach (var element in fallback.Elements())
        {
            if (terminal is not null)
            {
                Warning(element, $"fallback step <{element.Name.LocalName}> is never reached: <{terminal.Name.LocalName}> before it always succeeds");
            }

            switch (element.Name.LocalName)
            {
                case "RouteRequireTls":
                    RequireForcedTls(element);
                    steps.Add(new RouteRequireTlsFallback());
                    break;
                case "RejectMessage":
                    steps.Add(new RejectFallback { EnhancedStatusCode = StatusCode(element) ?? "5.7.1", Reason = Ascii(element, "Reason") });
                    terminal ??= element;
                    break;
                case "DeferMessage":
                    steps.Add(new DeferFallback { RetryAfter = RetryAfter(element) });
                    terminal ??= element;
                    break;
                case "DeliverInPlainTextInsecure":
                    Warning(element, $"{InsecureFallbackMarker}: when encryption is impossible this rule delivers the message UNENCRYPTED; prefer RouteRequireTls, DeferMessage or RejectMessage");
                    steps.Add(new DeliverInPlainTextInsecureFallback());
                    terminal ??= element;
                    break;
                case "DeliverUnsigned":
                    steps.Add(new DeliverUnsignedFallback());
                    terminal ??= element;
                    break;
            }
        }

        return steps.Count == 0 ? FallbackChain.Default : new FallbackChain(steps);
    }

    private TimeSpan RetryAfter(XElement element)
    {
        var text = Attr(element, "RetryAfter");
        if (text is null || !TryDuration(element.Attribute("RetryAfter")!, text, out var value))
        {
            return TimeSpan.FromMinutes(10);
        }

        if (value < TimeSpan.FromMinutes(1) || value > TimeSpan.FromDays(1))
        {
            Error(element.Attribute("RetryAfter")!, $"RetryAfter must be between 1 minute and 1 day (for example PT10M); found {text}");
            return TimeSpan.FromMinutes(10);
        }

        return value;
    }

    private void RequireForcedTls(XElement element)
    {
        if (_settings.ForcedTls is null)
        {
            Error(element, "RouteRequireTls needs <Settings><ForcedTls AddressSpace=\"...\"/>, the address space of the send connector that requires TLS");
        }
    }

    private string? StatusCode(XElement element)
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

    private bool CheckHeaderName(XAttribute attribute, string name, bool allowStructural)
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

    // ------------------------------------------------------------------ Attribute helpers

    private static XName X(string localName) => XName.Get(localName, Ns);

    private static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;

    private static bool Bool(XElement element, string name, bool defaultValue)
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

    private static T Enum<T>(XElement element, string name, T defaultValue)
        where T : struct
        => OptionalEnum<T>(element, name) ?? defaultValue;

    private static T? OptionalEnum<T>(XElement element, string name)
        where T : struct
    {
        var value = element.Attribute(name)?.Value.Trim();
        return value is not null && !int.TryParse(value, out _) && System.Enum.TryParse<T>(value, out var parsed) ? parsed : null;
    }

    private string? Ascii(XElement element, string name)
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

    private string? Printable(XElement element, string name)
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

    private DateTimeOffset? Date(XElement element, string name)
    {
        var attribute = element.Attribute(name);
        if (attribute is null)
        {
            return null;
        }

        // A date or date-time without an offset is UTC (documented), so a policy means the same on every server.
        if (DateTimeOffset.TryParse(attribute.Value.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        Error(attribute, $"{name} '{attribute.Value}' is not a date (write 2025-01-31 or 2025-01-31T08:00:00Z)");
        return null;
    }

    private bool TryDuration(XObject at, string text, out TimeSpan value)
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

    private bool TrySize(XObject at, string text, out long bytes)
    {
        if (SizeParser.TryParse(text, out bytes))
        {
            return true;
        }

        Error(at, $"'{text.Trim()}' is not a size (write a byte count, or a number with KB, MB or GB)");
        return false;
    }

    private string Location(XObject node)
    {
        var (line, column) = Position(node);
        return string.Format(CultureInfo.InvariantCulture, "{0}:{1}:{2}", _file, line, column);
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

    private void Error(XObject at, string message)
    {
        var (line, column) = Position(at);
        _errors.Add(new PolicyError(_file, line, column, _currentRule, message));
    }

    private void Warning(XObject at, string message)
    {
        var (line, column) = Position(at);
        _warnings.Add(new PolicyError(_file, line, column, _currentRule, message));
    }
}

/// <summary>Sizes as the policy writes them: 1048576, 150KB, 10 MB, 1GB (binary units, as Exchange uses).</summary>
public static class SizeParser
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a size.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var value = (text ?? string.Empty).Trim();
        long multiplier = 1;
        foreach (var (suffix, factor) in new[] { ("KB", 1024L), ("MB", 1024L * 1024), ("GB", 1024L * 1024 * 1024), ("B", 1L) })
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value.Substring(0, value.Length - suffix.Length).TrimEnd();
                multiplier = factor;
                break;
            }
        }

        if (value.Length == 0 || value.Length > 15 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }
}
