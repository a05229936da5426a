using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Settings&gt;: what applies to the whole policy.</summary>
public sealed class PolicySettings
{
    /// <summary>&lt;OrganizationDomains&gt;: domains that are "InOrganization" (Exchange adds its accepted domains).</summary>
    public IReadOnlyList<string> OrganizationDomains { get; init; } = Array.Empty<string>();

    /// <summary>&lt;ForcedTls&gt;: the address space of the forced-TLS send connector; null when not configured.</summary>
    public ForcedTlsSettings? ForcedTls { get; init; }

    /// <summary>&lt;AuditHeader Enabled=".."/&gt;: stamp X-EEA-Policy on each processed copy.</summary>
    public bool StampAuditHeader { get; init; } = true;

    /// <summary>
    /// &lt;AuditHeader OutsideCopies=".."/&gt;: also stamp X-EEA-Policy on copies with a recipient outside the
    /// organisation. Off by default: rule names tell an outsider how their correspondence was classified.
    /// </summary>
    public bool StampAuditHeaderOnOutsideCopies { get; init; }

    /// <summary>&lt;DecisionLogLevel&gt;: the level of the per-message decision event.</summary>
    public AgentEventLevel DecisionLogLevel { get; init; } = AgentEventLevel.Information;

    /// <summary>&lt;RegexTimeout&gt;: the bound on each regular-expression match.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// &lt;EvaluationBudget&gt;: the time all content conditions of one message may take together. When it is spent,
    /// every rule still needing content has an evaluation error (its RuleErrorAction decides), so many slow patterns
    /// cannot each stay just under <see cref="RegexTimeout"/>.
    /// </summary>
    public TimeSpan EvaluationBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>&lt;AttachmentScanLimit&gt;: how many decoded bytes of each text-like attachment AttachmentContainsWords reads.</summary>
    public long AttachmentScanLimitBytes { get; init; } = 1024 * 1024;

    /// <summary>&lt;MaxNestingDepth&gt;: the deepest S/MIME layering processed inbound.</summary>
    public int MaxSmimeNestingDepth { get; init; } = 4;

    /// <summary>&lt;TnefHandling&gt;: a copy to protect that is still Summary-TNEF is converted to MIME, or takes the fallback chain.</summary>
    internal TnefHandling TnefHandling { get; init; } = TnefHandling.ConvertToMime;

    /// <summary>The organisation domains as a case-insensitive set, built once.</summary>
    internal HashSet<string> OrganizationDomainSet
        => System.Threading.LazyInitializer.EnsureInitialized(
            ref _organizationDomainSet,
            () => new HashSet<string>(OrganizationDomains.Select(d => d.Trim().TrimEnd('.')), StringComparer.OrdinalIgnoreCase))!;

    private HashSet<string>? _organizationDomainSet;
}
