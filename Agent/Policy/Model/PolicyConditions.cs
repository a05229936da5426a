using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

// Conditions, named after Exchange mail flow rule predicates. Each element in <Conditions> has an ExceptIf twin in
// <Exceptions> with identical syntax; the model is the same class, and the rule keeps the two lists apart.
// Message conditions look at the message once; recipient conditions select recipients, and the rule's actions apply
// only to the recipients they select (Exchange forks the message per recipient set the same way).
// A condition that cannot be evaluated (the MIME did not parse, the header is absent) does not match.

/// <summary>Base of every condition.</summary>
public abstract class PolicyCondition
{
    private protected PolicyCondition(string name, ConditionCost cost)
    {
        Name = name;
        Cost = cost;
    }

    /// <summary>The condition element name without the ExceptIf prefix (for example SubjectContainsWords).</summary>
    public string Name { get; }

    /// <summary>Where the condition is declared (file:line:col).</summary>
    public string Location { get; init; } = string.Empty;

    /// <summary>How much it costs to evaluate; the evaluator tries cheap conditions first.</summary>
    internal ConditionCost Cost { get; }
}

/// <summary>Evaluation cost classes, cheapest first.</summary>
internal enum ConditionCost
{
    Envelope = 0,
    Headers = 1,
    Structure = 2,
    DecodedContent = 3,
}

/// <summary>A condition on the message as a whole: it holds for every recipient or for none.</summary>
public abstract class MessageCondition : PolicyCondition
{
    private protected MessageCondition(string name, ConditionCost cost)
        : base(name, cost)
    {
    }

    /// <summary>The value that made the condition hold, or null. May throw RegexMatchTimeoutException.</summary>
    internal abstract string? Match(EvaluationScope scope);
}

/// <summary>A condition on one envelope recipient: it selects recipients.</summary>
public abstract class RecipientCondition : PolicyCondition
{
    private protected RecipientCondition(string name)
        : base(name, ConditionCost.Envelope)
    {
    }

    /// <summary>The value that made the condition hold for <paramref name="recipient"/>, or null.</summary>
    internal abstract string? Match(EvaluationScope scope, RecipientInfo recipient);
}

/// <summary>FromScope and SentToScope values (Exchange's).</summary>
public enum OrganizationScope
{
    /// <summary>Inside the organisation.</summary>
    InOrganization,
    /// <summary>Outside the organisation (partner or not).</summary>
    NotInOrganization,
    /// <summary>Outside, in a partner domain (the policy's &lt;Partners&gt;).</summary>
    ExternalPartner,
    /// <summary>Outside, not in a partner domain.</summary>
    ExternalNonPartner,
}

/// <summary>Scope tests shared by FromScope and SentToScope.</summary>
internal static class OrganizationScopes
{
    /// <summary>True when an address whose precise scope is <paramref name="actual"/> is in <paramref name="wanted"/>.</summary>
    public static bool Holds(OrganizationScope wanted, OrganizationScope actual)
        => wanted == OrganizationScope.NotInOrganization ? actual != OrganizationScope.InOrganization : wanted == actual;
}

/// <summary>FromScope: where the sender is.</summary>
public sealed class FromScopeCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public FromScopeCondition(OrganizationScope scope)
        : base("FromScope", ConditionCost.Envelope)
    {
        Scope = scope;
    }

    /// <summary>The scope that must hold.</summary>
    public OrganizationScope Scope { get; }

    internal override string? Match(EvaluationScope scope)
        => OrganizationScopes.Holds(Scope, scope.SenderScope) ? Scope.ToString() : null;
}

/// <summary>From: the sender address (which one: the rule's SenderAddressLocation) is one of the values.</summary>
public sealed class FromCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public FromCondition(IReadOnlyList<string> addresses, SenderAddressLocation location = SenderAddressLocation.Header)
        : base("From", ConditionCost.Envelope)
    {
        Addresses = new AddressSet(addresses);
        AddressLocation = location;
    }

    /// <summary>The addresses (OR).</summary>
    public AddressSet Addresses { get; }

    /// <summary>Which sender address it reads (the rule's SenderAddressLocation).</summary>
    public SenderAddressLocation AddressLocation { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var sender in SenderAddresses.For(scope.Message, AddressLocation))
        {
            if (Addresses.Find(sender.Address) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>FromAddressMatchesPatterns: the sender address matches one of the patterns.</summary>
public sealed class FromAddressMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public FromAddressMatchesPatternsCondition(PatternList patterns, SenderAddressLocation location = SenderAddressLocation.Header)
        : base("FromAddressMatchesPatterns", ConditionCost.Envelope)
    {
        Patterns = Guard.NotNull(patterns);
        AddressLocation = location;
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    /// <summary>Which sender address it reads (the rule's SenderAddressLocation).</summary>
    public SenderAddressLocation AddressLocation { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var sender in SenderAddresses.For(scope.Message, AddressLocation))
        {
            if (Patterns.Find(sender.Address) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>SenderDomainIs: the sender address's domain is one of the values or a subdomain of one.</summary>
public sealed class SenderDomainIsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SenderDomainIsCondition(IReadOnlyList<string> domains, SenderAddressLocation location = SenderAddressLocation.Header)
        : base("SenderDomainIs", ConditionCost.Envelope)
    {
        Domains = new DomainSet(domains);
        AddressLocation = location;
    }

    /// <summary>The domains (OR; subdomains included).</summary>
    public DomainSet Domains { get; }

    /// <summary>Which sender address it reads (the rule's SenderAddressLocation).</summary>
    public SenderAddressLocation AddressLocation { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var sender in SenderAddresses.For(scope.Message, AddressLocation))
        {
            if (Domains.Find(sender.DomainSuffixes) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>SentToScope: where the recipient is.</summary>
public sealed class SentToScopeCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public SentToScopeCondition(OrganizationScope scope)
        : base("SentToScope")
    {
        Scope = scope;
    }

    /// <summary>The scope that must hold.</summary>
    public OrganizationScope Scope { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient)
        => OrganizationScopes.Holds(Scope, scope.ScopeOf(recipient.IsInternal, recipient.DomainSuffixes)) ? Scope.ToString() : null;
}

/// <summary>SentTo: the envelope recipient is one of the values.</summary>
public sealed class SentToCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public SentToCondition(IReadOnlyList<string> addresses)
        : base("SentTo")
    {
        Addresses = new AddressSet(addresses);
    }

    /// <summary>The addresses (OR).</summary>
    public AddressSet Addresses { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient) => Addresses.Find(recipient.Address);
}

/// <summary>RecipientAddressMatchesPatterns: the envelope recipient matches one of the patterns.</summary>
public sealed class RecipientAddressMatchesPatternsCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public RecipientAddressMatchesPatternsCondition(PatternList patterns)
        : base("RecipientAddressMatchesPatterns")
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient) => Patterns.Find(recipient.Address);
}

/// <summary>RecipientDomainIs: the recipient's domain is one of the values or a subdomain of one.</summary>
public sealed class RecipientDomainIsCondition : RecipientCondition
{
    /// <summary>Creates the condition.</summary>
    public RecipientDomainIsCondition(IReadOnlyList<string> domains)
        : base("RecipientDomainIs")
    {
        Domains = new DomainSet(domains);
    }

    /// <summary>The domains (OR; subdomains included).</summary>
    public DomainSet Domains { get; }

    internal override string? Match(EvaluationScope scope, RecipientInfo recipient) => Domains.Find(recipient.DomainSuffixes);
}

/// <summary>AnyOfToCcHeader: one of the addresses is in the To or Cc header (a message condition, as in Exchange).</summary>
public sealed class AnyOfToCcHeaderCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AnyOfToCcHeaderCondition(IReadOnlyList<string> addresses)
        : base("AnyOfToCcHeader", ConditionCost.Headers)
    {
        Addresses = new AddressSet(addresses);
    }

    /// <summary>The addresses (OR).</summary>
    public AddressSet Addresses { get; }

    internal override string? Match(EvaluationScope scope) => Addresses.FindInToOrCc(scope.Message);
}

/// <summary>HeaderContainsWords: a header (every instance) contains one of the words.</summary>
public sealed class HeaderContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public HeaderContainsWordsCondition(string header, WordList words)
        : base("HeaderContainsWords", ConditionCost.Headers)
    {
        Header = Guard.NotNull(header);
        Words = Guard.NotNull(words);
    }

    /// <summary>The header field name.</summary>
    public string Header { get; }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var value in scope.Message.GetHeaderValues(Header))
        {
            var found = Words.Find(value);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>HeaderMatchesPatterns: a header (every instance) matches one of the patterns.</summary>
public sealed class HeaderMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public HeaderMatchesPatternsCondition(string header, PatternList patterns)
        : base("HeaderMatchesPatterns", ConditionCost.Headers)
    {
        Header = Guard.NotNull(header);
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The header field name.</summary>
    public string Header { get; }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var value in scope.Message.GetHeaderValues(Header))
        {
            var found = Patterns.Find(value);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>SubjectContainsWords.</summary>
public sealed class SubjectContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectContainsWordsCondition(WordList words)
        : base("SubjectContainsWords", ConditionCost.Headers)
    {
        Words = Guard.NotNull(words);
    }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope) => Words.Find(scope.Message.Subject);
}

/// <summary>SubjectMatchesPatterns.</summary>
public sealed class SubjectMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectMatchesPatternsCondition(PatternList patterns)
        : base("SubjectMatchesPatterns", ConditionCost.Headers)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope) => Patterns.Find(scope.Message.Subject);
}

/// <summary>SubjectOrBodyContainsWords: the Subject or the decoded body text (HTML read as text).</summary>
public sealed class SubjectOrBodyContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectOrBodyContainsWordsCondition(WordList words)
        : base("SubjectOrBodyContainsWords", ConditionCost.DecodedContent)
    {
        Words = Guard.NotNull(words);
    }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope)
        => Words.Find(scope.Message.Subject) ?? Words.Find(scope.Message.BodyText);
}

/// <summary>SubjectOrBodyMatchesPatterns.</summary>
public sealed class SubjectOrBodyMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public SubjectOrBodyMatchesPatternsCondition(PatternList patterns)
        : base("SubjectOrBodyMatchesPatterns", ConditionCost.DecodedContent)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
        => Patterns.Find(scope.Message.Subject) ?? Patterns.Find(scope.Message.BodyText);
}

/// <summary>AttachmentNameMatchesPatterns: the name of an attachment, or of a file inside an archive or attached message, matches one of the patterns.</summary>
public sealed class AttachmentNameMatchesPatternsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentNameMatchesPatternsCondition(PatternList patterns)
        : base("AttachmentNameMatchesPatterns", ConditionCost.Structure)
    {
        Patterns = Guard.NotNull(patterns);
    }

    /// <summary>The patterns (OR).</summary>
    public PatternList Patterns { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Names(scope))
        {
            var found = Patterns.Find(file.Name);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>AttachmentExtensionMatchesWords: the extension of an attachment, or of a file inside an archive or attached message, is one of the values.</summary>
public sealed class AttachmentExtensionMatchesWordsCondition : MessageCondition
{
    private readonly HashSet<string> _extensions;

    /// <summary>Creates the condition; a leading dot on a value is ignored.</summary>
    public AttachmentExtensionMatchesWordsCondition(IReadOnlyList<string> extensions)
        : base("AttachmentExtensionMatchesWords", ConditionCost.Structure)
    {
        Extensions = Guard.NotNull(extensions).Select(e => e.TrimStart('.')).ToArray();
        _extensions = new HashSet<string>(Extensions, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The extensions without the dot (OR, case-insensitive).</summary>
    public IReadOnlyList<string> Extensions { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Names(scope))
        {
            if (file.Extension.Length > 0 && _extensions.Contains(file.Extension))
            {
                return file.Extension;
            }
        }

        return null;
    }
}

/// <summary>AttachmentContainsWords: the text of an attachment, or of a file inside one, contains one of the words (first AttachmentScanLimit characters of each).</summary>
public sealed class AttachmentContainsWordsCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentContainsWordsCondition(WordList words)
        : base("AttachmentContainsWords", ConditionCost.DecodedContent)
    {
        Words = Guard.NotNull(words);
    }

    /// <summary>The words (OR).</summary>
    public WordList Words { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var file in AttachmentFiles.Inspected(scope))
        {
            var found = Words.Find(file.Text);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>AttachmentSizeOver: an attachment's decoded size is greater than the value.</summary>
public sealed class AttachmentSizeOverCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public AttachmentSizeOverCondition(long bytes)
        : base("AttachmentSizeOver", ConditionCost.DecodedContent)
    {
        Bytes = bytes;
    }

    /// <summary>The size in bytes.</summary>
    public long Bytes { get; }

    internal override string? Match(EvaluationScope scope)
    {
        foreach (var attachment in scope.Message.Attachments)
        {
            // The encoded size bounds the decoded one from above: skip decoding attachments that cannot be big enough.
            if (attachment.EncodedSize > Bytes && attachment.DecodedSize > Bytes)
            {
                return attachment.DecodedSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}

/// <summary>MessageSizeOver: the whole message (as received) is larger than the value.</summary>
public sealed class MessageSizeOverCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public MessageSizeOverCondition(long bytes)
        : base("MessageSizeOver", ConditionCost.Envelope)
    {
        Bytes = bytes;
    }

    /// <summary>The size in bytes.</summary>
    public long Bytes { get; }

    internal override string? Match(EvaluationScope scope)
        => scope.Message.Size > Bytes ? scope.Message.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>MessageTypeMatches: the message is one of the types.</summary>
public sealed class MessageTypeMatchesCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public MessageTypeMatchesCondition(IReadOnlyList<MessageTypes> types)
        : base("MessageTypeMatches", ConditionCost.Headers)
    {
        Types = Guard.NotNull(types);
    }

    /// <summary>The types (OR); each a single flag.</summary>
    public IReadOnlyList<MessageTypes> Types { get; }

    internal override string? Match(EvaluationScope scope)
    {
        var actual = scope.Message.Types;
        foreach (var type in Types)
        {
            if ((actual & type) != 0)
            {
                return type.ToString();
            }
        }

        return null;
    }
}

/// <summary>WithImportance: the Importance (or X-Priority) of the message; absent means Normal.</summary>
public sealed class WithImportanceCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public WithImportanceCondition(IReadOnlyList<MessageImportance> importances)
        : base("WithImportance", ConditionCost.Headers)
    {
        Importances = Guard.NotNull(importances);
    }

    /// <summary>The importances (OR).</summary>
    public IReadOnlyList<MessageImportance> Importances { get; }

    internal override string? Match(EvaluationScope scope)
    {
        var actual = scope.Message.Importance;
        return Importances.Contains(actual) ? actual.ToString() : null;
    }
}

/// <summary>HasSensitivity: the Sensitivity header (RFC 2156); absent means Normal.</summary>
public sealed class HasSensitivityCondition : MessageCondition
{
    /// <summary>Creates the condition.</summary>
    public HasSensitivityCondition(IReadOnlyList<MessageSensitivity> sensitivities)
        : base("HasSensitivity", ConditionCost.Headers)
    {
        Sensitivities = Guard.NotNull(sensitivities);
    }

    /// <summary>The sensitivities (OR).</summary>
    public IReadOnlyList<MessageSensitivity> Sensitivities { get; }

    internal override string? Match(EvaluationScope scope)
    {
        var actual = scope.Message.Sensitivity;
        return Sensitivities.Contains(actual) ? actual.ToString() : null;
    }
}

/// <summary>
/// HasClassification: an Exchange message classification, by its ClassificationID (the GUID that
/// Get-MessageClassification shows), read from X-MS-Exchange-Organization-Classification as Exchange writes it.
/// </summary>
public sealed class HasClassificationCondition : MessageCondition
{
    private readonly HashSet<Guid> _ids;

    /// <summary>Creates the condition; every value must be a GUID (the loader refuses anything else).</summary>
    public HasClassificationCondition(IReadOnlyList<string> classificationIds)
        : base("HasClassification", ConditionCost.Headers)
    {
        ClassificationIds = Guard.NotNull(classificationIds).Select(l => l.Trim()).ToArray();
        _ids = new HashSet<Guid>(ClassificationIds.Select(ParseId).Where(g => g is not null).Select(g => g!.Value));
    }

    /// <summary>Classification ids (GUID, braces optional; OR).</summary>
    public IReadOnlyList<string> ClassificationIds { get; }

    /// <summary>The GUID a value names, or null when it is not one.</summary>
    public static Guid? ParseId(string value) => Guid.TryParse(Guard.NotNull(value).Trim().Trim('{', '}'), out var id) ? id : null;

    internal override string? Match(EvaluationScope scope)
    {
        // Exchange's header firewall removes X-MS-Exchange-Organization-* fields that arrive from outside, but other
        // hosts (the SMTP gateway) have no such firewall: only mail the host says was submitted inside can carry the
        // organisation's own classification, so an outside sender's forged field never counts.
        if (!scope.SenderIsInternal)
        {
            return null;
        }

        foreach (var id in scope.Message.MessageClassifications)
        {
            if (_ids.Contains(id))
            {
                return id.ToString("D");
            }
        }

        return null;
    }
}

/// <summary>
/// HasSensitivityLabel: an enabled Microsoft Purview sensitivity label (msip_labels header), by id or name. The header
/// is written by the sender's client, so any sender can forge it: it counts only on mail submitted inside.
/// </summary>
public sealed class HasSensitivityLabelCondition : MessageCondition
{
    private readonly LabelSelector[] _selectors;

    /// <summary>Creates the condition.</summary>
    public HasSensitivityLabelCondition(IReadOnlyList<string> labels)
        : base("HasSensitivityLabel", ConditionCost.Headers)
    {
        Labels = Guard.NotNull(labels).Select(l => l.Trim()).ToArray();
        _selectors = Labels.Select(l => new LabelSelector(l)).ToArray();
    }

    /// <summary>Label ids (GUID, braces optional) or names (OR, case-insensitive).</summary>
    public IReadOnlyList<string> Labels { get; }

    internal override string? Match(EvaluationScope scope)
    {
        // An outside sender can write any label it likes; only the host's word that the message was submitted
        // inside (mailbox, authenticated SMTP, pickup) makes the label the organisation's own.
        if (!scope.SenderIsInternal)
        {
            return null;
        }

        var labels = scope.Message.SensitivityLabels;
        for (var i = 0; i < labels.Count; i++)
        {
            foreach (var selector in _selectors)
            {
                if (labels[i].Matches(selector))
                {
                    return selector.Text;
                }
            }
        }

        return null;
    }
}
