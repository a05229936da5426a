using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Certificates&gt;: where certificates and keys come from. Only configured sources; nothing in a message is ever a trust anchor.</summary>
internal sealed class CertificateSettings
{
    /// <summary>&lt;TrustAnchors&gt;: root certificates chains must end at.</summary>
    public IReadOnlyList<CertificateSource> TrustAnchors { get; init; } = Array.Empty<CertificateSource>();

    /// <summary>&lt;Intermediates&gt;: CA certificates used to build chains (never anchors).</summary>
    public IReadOnlyList<CertificateSource> Intermediates { get; init; } = Array.Empty<CertificateSource>();

    /// <summary>&lt;Revocation&gt;: CRL files and the revocation policy.</summary>
    public RevocationSettings Revocation { get; init; } = new();

    /// <summary>&lt;PartnerCertificates&gt;: public certificates to encrypt to (gateway/domain and personal).</summary>
    public IReadOnlyList<CertificateSource> PartnerCertificates { get; init; } = Array.Empty<CertificateSource>();

    /// <summary>&lt;Partners&gt;: per-domain algorithm choices.</summary>
    public IReadOnlyList<PartnerSettings> Partners { get; init; } = Array.Empty<PartnerSettings>();

    /// <summary>&lt;OrganizationKeys&gt;: the organisation's signing, decryption and recovery keys.</summary>
    public IReadOnlyList<OrganizationKeySettings> OrganizationKeys { get; init; } = Array.Empty<OrganizationKeySettings>();

    /// <summary>&lt;SenderKeys&gt;: personal keys of internal users (sign as sender; escrowed decryption).</summary>
    public IReadOnlyList<CertificateSource> SenderKeys { get; init; } = Array.Empty<CertificateSource>();

    /// <summary>&lt;Harvesting&gt;: store certificates of valid inbound signers as harvested partner certificates.</summary>
    public HarvestingSettings Harvesting { get; init; } = new();
}
