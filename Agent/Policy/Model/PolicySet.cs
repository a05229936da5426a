using System.Collections.Generic;
using System.IO;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>A loaded, validated, immutable policy: &lt;Policy&gt; in the XML.</summary>
public sealed class PolicySet
{
    /// <summary>&lt;Settings&gt;.</summary>
    public PolicySettings Settings { get; init; } = new();

    /// <summary>&lt;Certificates&gt;.</summary>
    internal CertificateSettings Certificates { get; init; } = new();

    /// <summary>&lt;Rules&gt;, ordered by priority (0 first).</summary>
    public IReadOnlyList<PolicyRule> Rules { get; init; } = new List<PolicyRule>();

    /// <summary>Full path of the file it came from.</summary>
    public string SourcePath { get; init; } = string.Empty;

    /// <summary>SHA-256 of the file bytes (hex), logged at load so administrators can tell versions apart.</summary>
    public string Sha256 { get; init; } = string.Empty;

    /// <summary>
    /// The folder relative paths in the policy are relative to: the folder of <see cref="SourcePath"/> (the current
    /// folder for a policy read from text without a file).
    /// </summary>
    public string BaseDirectory
        => Path.GetDirectoryName(Path.GetFullPath(SourcePath.Length == 0 ? "." + Path.DirectorySeparatorChar : SourcePath)) ?? ".";

    /// <summary>Every file and folder the policy names, as absolute paths (see <see cref="PolicyFileReferences"/>).</summary>
    internal PolicyFileReferences References
        => System.Threading.LazyInitializer.EnsureInitialized(ref _references, () => PolicyFileReferences.Of(Certificates, BaseDirectory))!;

    /// <summary>The partner domains of &lt;Partners&gt; (ExternalPartner scope), built once.</summary>
    internal Evaluation.PartnerDomainSet PartnerDomains
        => System.Threading.LazyInitializer.EnsureInitialized(ref _partnerDomains, () => new Evaluation.PartnerDomainSet(Certificates.Partners))!;

    private Evaluation.PartnerDomainSet? _partnerDomains;
    private PolicyFileReferences? _references;
}
