using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Policy.Model;
using static ExchangeEncryptionAgent.Policy.PolicyXml;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Reads one action of &lt;Actions&gt;, with its &lt;Fallback&gt;.</summary>
internal sealed class ActionReader
{
    private readonly PolicyReadContext _context;

    public ActionReader(PolicyReadContext context)
    {
        _context = context;
    }

    public PolicyAction? Read(XElement element, string ruleName)
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
                    SubjectPlaceholder = _context.Ascii(element, "SubjectPlaceholder") ?? "Encrypted message",
                    EvenIfAlreadyEncrypted = Bool(element, "EvenIfAlreadyEncrypted", false),
                    Fallback = Fallback(element),
                };
            case "SignSmime":
                return BuildSign(element, ruleName);
            case "DecryptSmime":
                if (!_context.Certificates.OrganizationKeys.Any(k => k.Usage == OrganizationKeyUsage.Decryption) && _context.Certificates.SenderKeys.Count == 0)
                {
                    _context.Warning(element, "DecryptSmime with no <Key Usage=\"Decryption\"> and no <SenderKeys>: nothing can be decrypted, so every encrypted message gets the OnFailure outcome");
                }

                return new DecryptSmimeAction
                {
                    RuleName = ruleName,
                    Deliver = Enum(element, "Deliver", DecryptedDelivery.Decrypted),
                    OnFailure = Enum(element, "OnFailure", InboundFailureAction.PassThrough),
                    UnsignedCbcContent = Enum(element, "UnsignedCbcContent", UnsignedCbcContent.Attachment),
                };
            case "VerifySmime":
                return new VerifySmimeAction
                {
                    RuleName = ruleName,
                    ValidSubjectTag = _context.Printable(element, "ValidSubjectTag"),
                    InvalidSubjectTag = _context.Printable(element, "InvalidSubjectTag"),
                };
            case "RouteRequireTls":
                _context.RequireForcedTls(element);
                return new RouteRequireTlsAction { RuleName = ruleName };
            case "SetHeader":
            {
                var nameAttribute = element.Attribute("Name");
                var name = nameAttribute?.Value ?? string.Empty;
                if (nameAttribute is not null && _context.CheckHeaderName(nameAttribute, name, allowStructural: false)
                    && Content.AgentHeaders.IsOurs(name))
                {
                    _context.Error(nameAttribute, $"SetHeader may not set '{name}': {Content.AgentHeaders.Prefix}* headers are stamped by the agent itself");
                }

                return new SetHeaderAction { RuleName = ruleName, Name = name, Value = _context.Printable(element, "Value") ?? string.Empty };
            }

            case "RemoveHeader":
            {
                var nameAttribute = element.Attribute("Name");
                if (nameAttribute is not null)
                {
                    _context.CheckHeaderName(nameAttribute, nameAttribute.Value, allowStructural: false);
                }

                return new RemoveHeaderAction { RuleName = ruleName, Name = nameAttribute?.Value ?? string.Empty };
            }

            case "PrependSubject":
                return new PrependSubjectAction { RuleName = ruleName, Text = _context.Printable(element, "Text") ?? string.Empty };
            case "RejectMessage":
                return new RejectMessageAction
                {
                    RuleName = ruleName,
                    EnhancedStatusCode = _context.StatusCode(element) ?? "5.7.1",
                    Reason = _context.Ascii(element, "Reason") ?? "Delivery not authorized, message refused",
                };
            default:
                return null; // the schema reports the unknown element
        }
    }

    private SignSmimeAction BuildSign(XElement element, string ruleName)
    {
        var signer = Enum(element, "Signer", SignerKind.Organization);
        var organizationKey = Attr(element, "OrganizationKey");
        var signingKeys = _context.Certificates.OrganizationKeys.Where(k => k.Usage == OrganizationKeyUsage.Signing).ToList();
        if (organizationKey is not null)
        {
            if (!signingKeys.Any(k => string.Equals(k.Name, organizationKey, StringComparison.OrdinalIgnoreCase)))
            {
                var known = signingKeys.Count == 0 ? "there is none" : "known: " + string.Join(", ", signingKeys.Select(k => "'" + k.Name + "'"));
                _context.Error(element.Attribute("OrganizationKey")!, $"OrganizationKey '{organizationKey}' names no <Key Usage=\"Signing\"> in <Certificates><OrganizationKeys> ({known})");
            }
        }
        else if (signer != SignerKind.Sender)
        {
            if (signingKeys.Count == 0 && signer == SignerKind.Organization)
            {
                _context.Error(element, "SignSmime signs with the organisation key, but <Certificates><OrganizationKeys> has no <Key Usage=\"Signing\">");
            }
            else if (signingKeys.Count > 1)
            {
                _context.Error(element, "several organisation signing keys are configured: say which one with OrganizationKey=\"...\"");
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
                _context.Warning(element, $"fallback step <{element.Name.LocalName}> is never reached: <{terminal.Name.LocalName}> before it always succeeds");
            }

            switch (element.Name.LocalName)
            {
                case "RouteRequireTls":
                    _context.RequireForcedTls(element);
                    steps.Add(new RouteRequireTlsFallback());
                    break;
                case "RejectMessage":
                    steps.Add(new RejectFallback { EnhancedStatusCode = _context.StatusCode(element) ?? "5.7.1", Reason = _context.Ascii(element, "Reason") });
                    terminal ??= element;
                    break;
                case "DeferMessage":
                    steps.Add(new DeferFallback { RetryAfter = RetryAfter(element) });
                    terminal ??= element;
                    break;
                case "DeliverInPlainTextInsecure":
                    _context.Warning(element, $"{PolicyBuilder.InsecureFallbackMarker}: when encryption is impossible this rule delivers the message UNENCRYPTED; prefer RouteRequireTls, DeferMessage or RejectMessage");
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
        if (text is null || !_context.TryDuration(element.Attribute("RetryAfter")!, text, out var value))
        {
            return TimeSpan.FromMinutes(10);
        }

        if (value < TimeSpan.FromMinutes(1) || value > TimeSpan.FromDays(1))
        {
            _context.Error(element.Attribute("RetryAfter")!, $"RetryAfter must be between 1 minute and 1 day (for example PT10M); found {text}");
            return TimeSpan.FromMinutes(10);
        }

        return value;
    }

}
