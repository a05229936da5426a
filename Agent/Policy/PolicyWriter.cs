using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Writes a policy model back as policy XML: the inverse of <see cref="PolicyLoader"/>, with every default written out.
/// Loading what it writes gives an equivalent policy (tests check the round trip for every shipped policy); tools use
/// it to generate policies. Comments and formatting of the original file are not kept.
/// </summary>
internal static class PolicyWriter
{
    private static readonly XNamespace Ns = PolicySchema.Namespace;

    /// <summary>The policy as an XML document in the v1 namespace.</summary>
    public static XDocument ToXml(PolicySet policy)
    {
        Guard.NotNull(policy);
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Ns + "Policy",
                Settings(policy.Settings),
                Certificates(policy.Certificates),
                new XElement(Ns + "Rules", policy.Rules.Select(Rule))));
    }

    /// <summary>The policy as indented XML text.</summary>
    public static string Write(PolicySet policy)
    {
        var document = ToXml(policy);
        return document.Declaration + Environment.NewLine + document.Root;
    }

    private static XElement Settings(PolicySettings settings) => new(Ns + "Settings",
        new XElement(Ns + "OrganizationDomains", settings.OrganizationDomains.Select(d => new XElement(Ns + "Domain", d))),
        settings.ForcedTls is { } tls
            ? new XElement(Ns + "ForcedTls", new XAttribute("AddressSpace", tls.AddressSpace), Optional("TlsDomain", tls.TlsDomain))
            : null,
        new XElement(Ns + "AuditHeader", new XAttribute("Enabled", Bool(settings.StampAuditHeader)), new XAttribute("OutsideCopies", Bool(settings.StampAuditHeaderOnOutsideCopies))),
        new XElement(Ns + "DecisionLogLevel", settings.DecisionLogLevel == AgentEventLevel.Error ? AgentEventLevel.Warning : settings.DecisionLogLevel),
        new XElement(Ns + "RegexTimeout", XmlConvert.ToString(settings.RegexTimeout)),
        new XElement(Ns + "EvaluationBudget", XmlConvert.ToString(settings.EvaluationBudget)),
        new XElement(Ns + "AttachmentScanLimit", settings.AttachmentScanLimitBytes.ToString(CultureInfo.InvariantCulture)),
        new XElement(Ns + "MaxNestingDepth", settings.MaxSmimeNestingDepth.ToString(CultureInfo.InvariantCulture)),
        new XElement(Ns + "TnefHandling", settings.TnefHandling.ToString()));

    private static XElement Certificates(CertificateSettings certificates) => new(Ns + "Certificates",
        new XElement(Ns + "TrustAnchors", certificates.TrustAnchors.Select(Source)),
        new XElement(Ns + "Intermediates", certificates.Intermediates.Select(Source)),
        new XElement(Ns + "Revocation",
            new XAttribute("Check", Bool(certificates.Revocation.Check)),
            new XAttribute("OnlineFetch", Bool(certificates.Revocation.OnlineFetch)),
            new XAttribute("WhenStatusUnknown", certificates.Revocation.WhenStatusUnknown),
            certificates.Revocation.CrlSources.Select(Source)),
        new XElement(Ns + "PartnerCertificates", certificates.PartnerCertificates.Select(Source)),
        new XElement(Ns + "Partners", certificates.Partners.Select(p => new XElement(Ns + "Partner",
            new XAttribute("Domain", p.Domain),
            new XAttribute("ContentEncryption", p.ContentEncryption),
            new XAttribute("KeyTransport", p.KeyTransport)))),
        new XElement(Ns + "OrganizationKeys", certificates.OrganizationKeys.Select(Key)),
        new XElement(Ns + "SenderKeys", certificates.SenderKeys.Select(Source)),
        new XElement(Ns + "Harvesting", new XAttribute("Enabled", Bool(certificates.Harvesting.Enabled)), Optional("Folder", certificates.Harvesting.Folder)));

    private static XElement Source(CertificateSource source)
    {
        var domains = source.Domains.Count == 0 ? null : new XAttribute("Domains", string.Join(" ", source.Domains));
        return source.Kind switch
        {
            CertificateSourceKind.Folder => new XElement(Ns + "Folder", Optional("Path", source.Path), domains),
            CertificateSourceKind.WindowsStore => new XElement(Ns + "WindowsStore",
                Optional("Store", source.StoreName), new XAttribute("Location", source.StoreLocation), Optional("Thumbprint", source.Thumbprint), domains),
            _ => new XElement(Ns + "File",
                Optional("Path", source.Path), Optional("KeyFile", source.KeyFile), Optional("PfxFile", source.PfxFile), Optional("PasswordFile", source.PasswordFile), domains),
        };
    }

    private static XElement Key(OrganizationKeySettings key)
    {
        var source = key.Source;
        return new XElement(Ns + "Key",
            new XAttribute("Name", key.Name),
            new XAttribute("Usage", key.Usage),
            source.Kind == CertificateSourceKind.WindowsStore
                ? new object?[] { Optional("Store", source.StoreName), Optional("Thumbprint", source.Thumbprint) }
                : new object?[] { Optional("CertificateFile", source.Path), Optional("KeyFile", source.KeyFile), Optional("PfxFile", source.PfxFile), Optional("PasswordFile", source.PasswordFile) });
    }

    private static XElement Rule(PolicyRule rule) => new(Ns + "Rule",
        new XAttribute("Name", rule.Name),
        new XAttribute("Priority", rule.Priority.ToString(CultureInfo.InvariantCulture)),
        new XAttribute("Enabled", Bool(rule.Enabled)),
        new XAttribute("Mode", rule.Mode),
        rule.ActivationDate is { } activation ? new XAttribute("ActivationDate", Date(activation)) : null,
        rule.ExpiryDate is { } expiry ? new XAttribute("ExpiryDate", Date(expiry)) : null,
        new XAttribute("StopRuleProcessing", Bool(rule.StopRuleProcessing)),
        new XAttribute("RuleErrorAction", rule.RuleErrorAction),
        new XAttribute("SenderAddressLocation", rule.SenderAddressLocation),
        Optional("Comments", rule.Comments),
        rule.Conditions.Count == 0 ? null : new XElement(Ns + "Conditions", rule.Conditions.Select(c => Condition(c, string.Empty))),
        rule.Exceptions.Count == 0 ? null : new XElement(Ns + "Exceptions", rule.Exceptions.Select(c => Condition(c, "ExceptIf"))),
        new XElement(Ns + "Actions", rule.Actions.Select(Action)));

    private static XElement Condition(PolicyCondition condition, string prefix)
    {
        var element = new XElement(Ns + (prefix + condition.Name));
        switch (condition)
        {
            case FromScopeCondition c:
                element.Value = c.Scope.ToString();
                break;
            case SentToScopeCondition c:
                element.Value = c.Scope.ToString();
                break;
            case FromCondition c:
                element.Add(Values(c.Addresses.Values));
                break;
            case SentToCondition c:
                element.Add(Values(c.Addresses.Values));
                break;
            case AnyOfToCcHeaderCondition c:
                element.Add(Values(c.Addresses.Values));
                break;
            case SenderDomainIsCondition c:
                element.Add(Values(c.Domains.Values));
                break;
            case RecipientDomainIsCondition c:
                element.Add(Values(c.Domains.Values));
                break;
            case FromAddressMatchesPatternsCondition c:
                element.Add(Values(c.Patterns.Patterns));
                break;
            case RecipientAddressMatchesPatternsCondition c:
                element.Add(Values(c.Patterns.Patterns));
                break;
            case HeaderContainsWordsCondition c:
                element.Add(new XAttribute("Header", c.Header), Values(c.Words.Words));
                break;
            case HeaderMatchesPatternsCondition c:
                element.Add(new XAttribute("Header", c.Header), Values(c.Patterns.Patterns));
                break;
            case SubjectContainsWordsCondition c:
                element.Add(Values(c.Words.Words));
                break;
            case SubjectMatchesPatternsCondition c:
                element.Add(Values(c.Patterns.Patterns));
                break;
            case SubjectOrBodyContainsWordsCondition c:
                element.Add(Values(c.Words.Words));
                break;
            case SubjectOrBodyMatchesPatternsCondition c:
                element.Add(Values(c.Patterns.Patterns));
                break;
            case AttachmentNameMatchesPatternsCondition c:
                element.Add(Values(c.Patterns.Patterns));
                break;
            case AttachmentExtensionMatchesWordsCondition c:
                element.Add(Values(c.Extensions));
                break;
            case AttachmentContainsWordsCondition c:
                element.Add(Values(c.Words.Words));
                break;
            case AttachmentMatchesPatternsCondition c:
                element.Add(Values(c.Patterns.Patterns));
                break;
            case AttachmentIsUnsupportedCondition:
            case AttachmentIsPasswordProtectedCondition:
            case AttachmentProcessingLimitExceededCondition:
                break;
            case AttachmentSizeOverCondition c:
                element.Value = c.Bytes.ToString(CultureInfo.InvariantCulture);
                break;
            case MessageSizeOverCondition c:
                element.Value = c.Bytes.ToString(CultureInfo.InvariantCulture);
                break;
            case MessageTypeMatchesCondition c:
                element.Add(Values(c.Types.Select(t => t.ToString())));
                break;
            case WithImportanceCondition c:
                element.Add(Values(c.Importances.Select(i => i.ToString())));
                break;
            case HasSensitivityCondition c:
                element.Add(Values(c.Sensitivities.Select(s => s.ToString())));
                break;
            case HasClassificationCondition c:
                element.Add(Values(c.ClassificationIds));
                break;
            case HasSensitivityLabelCondition c:
                element.Add(Values(c.Labels));
                break;
            default:
                throw new NotSupportedException($"No XML form for condition {condition.GetType().Name}.");
        }

        return element;
    }

    private static XElement Action(PolicyAction action) => action switch
    {
        EncryptSmimeAction a => new XElement(Ns + "EncryptSmime",
            new XAttribute("Certificate", a.Certificate),
            new XAttribute("MinimumTrust", a.MinimumTrust),
            Optional("ContentEncryption", a.ContentEncryption?.ToString()),
            Optional("KeyTransport", a.KeyTransport?.ToString()),
            new XAttribute("HeaderProtection", Bool(a.HeaderProtection)),
            new XAttribute("SubjectPlaceholder", a.SubjectPlaceholder),
            new XAttribute("EvenIfAlreadyEncrypted", Bool(a.EvenIfAlreadyEncrypted)),
            Fallback(a.Fallback)),
        SignSmimeAction a => new XElement(Ns + "SignSmime",
            new XAttribute("Signer", a.Signer),
            Optional("OrganizationKey", a.OrganizationKey),
            new XAttribute("Format", a.Format),
            new XAttribute("Digest", a.Digest),
            new XAttribute("Padding", a.Padding),
            Fallback(a.Fallback)),
        DecryptSmimeAction a => new XElement(Ns + "DecryptSmime", new XAttribute("Deliver", a.Deliver), new XAttribute("OnFailure", a.OnFailure), new XAttribute("UnsignedCbcContent", a.UnsignedCbcContent)),
        VerifySmimeAction a => new XElement(Ns + "VerifySmime", Optional("ValidSubjectTag", a.ValidSubjectTag), Optional("InvalidSubjectTag", a.InvalidSubjectTag)),
        RouteRequireTlsAction => new XElement(Ns + "RouteRequireTls"),
        SetHeaderAction a => new XElement(Ns + "SetHeader", new XAttribute("Name", a.Name), new XAttribute("Value", a.Value)),
        RemoveHeaderAction a => new XElement(Ns + "RemoveHeader", new XAttribute("Name", a.Name)),
        PrependSubjectAction a => new XElement(Ns + "PrependSubject", new XAttribute("Text", a.Text)),
        RejectMessageAction a => new XElement(Ns + "RejectMessage", new XAttribute("EnhancedStatusCode", a.EnhancedStatusCode), new XAttribute("Reason", a.Reason)),
        _ => throw new NotSupportedException($"No XML form for action {action.GetType().Name}."),
    };

    private static XElement Fallback(FallbackChain chain) => new(Ns + "Fallback", chain.Steps.Select(step => step switch
    {
        RouteRequireTlsFallback => new XElement(Ns + "RouteRequireTls"),
        RejectFallback r => new XElement(Ns + "RejectMessage", new XAttribute("EnhancedStatusCode", r.EnhancedStatusCode), Optional("Reason", r.Reason)),
        DeferFallback d => new XElement(Ns + "DeferMessage", new XAttribute("RetryAfter", XmlConvert.ToString(d.RetryAfter))),
        DeliverInPlainTextInsecureFallback => new XElement(Ns + "DeliverInPlainTextInsecure"),
        DeliverUnsignedFallback => new XElement(Ns + "DeliverUnsigned"),
        _ => throw new NotSupportedException($"No XML form for fallback step {step.GetType().Name}."),
    }));

    private static IEnumerable<XElement> Values(IEnumerable<string> values) => values.Select(v => new XElement(Ns + "Value", v));

    private static XAttribute? Optional(string name, string? value) => value is null ? null : new XAttribute(name, value);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Date(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
