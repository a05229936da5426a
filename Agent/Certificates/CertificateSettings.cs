using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>&lt;Certificates&gt;: where certificates and keys come from. Only configured sources; nothing in a message is ever a trust anchor.</summary>
public sealed class CertificateSettings
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

/// <summary>Kind of certificate source.</summary>
public enum CertificateSourceKind
{
    /// <summary>&lt;File Path=".."/&gt;: one PEM or DER file (may hold several certificates), or a PFX with PfxFile.</summary>
    File,
    /// <summary>&lt;Folder Path=".."/&gt;: every .crt/.cer/.pem/.der (and .pfx/.p12 for key sources) in a folder.</summary>
    Folder,
    /// <summary>&lt;WindowsStore Store=".." Location="LocalMachine" Thumbprint=".."/&gt;: Windows only.</summary>
    WindowsStore,
}

/// <summary>One place certificates (and maybe private keys) are read from. Paths are relative to the policy file.</summary>
public sealed class CertificateSource
{
    /// <summary>The kind of source.</summary>
    public CertificateSourceKind Kind { get; init; }

    /// <summary>File or folder path (File, Folder).</summary>
    public string? Path { get; init; }

    /// <summary>PEM private key file beside a certificate file (PKCS#8 or PKCS#1, unencrypted or with PasswordFile).</summary>
    public string? KeyFile { get; init; }

    /// <summary>PKCS#12 file holding certificate and key.</summary>
    public string? PfxFile { get; init; }

    /// <summary>File whose first line is the PFX or key password (never inline in the policy).</summary>
    public string? PasswordFile { get; init; }

    /// <summary>Windows store name (My, AddressBook, Root, CA).</summary>
    public string? StoreName { get; init; }

    /// <summary>Windows store location; LocalMachine only is supported.</summary>
    public string StoreLocation { get; init; } = "LocalMachine";

    /// <summary>Optional thumbprint selecting one certificate of a store.</summary>
    public string? Thumbprint { get; init; }

    /// <summary>Explicit mapping: the recipient domains this certificate is the gateway certificate for.</summary>
    public IReadOnlyList<string> Domains { get; init; } = Array.Empty<string>();

    /// <summary>Where the source was declared (file:line:col), for error messages.</summary>
    public string Location { get; init; } = string.Empty;
}

/// <summary>What to do when revocation status cannot be established.</summary>
public enum RevocationUnknownAction
{
    /// <summary>The certificate is unusable (default).</summary>
    TreatAsUnusable,
    /// <summary>The certificate is used (a documented weakness; the administrator opted in).</summary>
    TreatAsValid,
}

/// <summary>&lt;Revocation Check="true" OnlineFetch="false" WhenStatusUnknown="TreatAsUnusable"&gt;.</summary>
public sealed class RevocationSettings
{
    /// <summary>Check revocation at all.</summary>
    public bool Check { get; init; } = true;

    /// <summary>Fetch CRLs from distribution points over the network (off: only configured CRL files).</summary>
    public bool OnlineFetch { get; init; }

    /// <summary>Outcome when no CRL covers a certificate.</summary>
    public RevocationUnknownAction WhenStatusUnknown { get; init; } = RevocationUnknownAction.TreatAsUnusable;

    /// <summary>CRL files and folders.</summary>
    public IReadOnlyList<CertificateSource> CrlSources { get; init; } = Array.Empty<CertificateSource>();
}

/// <summary>&lt;Partner Domain=".." ContentEncryption=".." KeyTransport=".."/&gt;.</summary>
public sealed class PartnerSettings
{
    /// <summary>The partner's domain (exact; "*.example.com" matches subdomains).</summary>
    public string Domain { get; init; } = string.Empty;

    /// <summary>Content encryption this partner reads.</summary>
    public ContentEncryptionAlgorithm ContentEncryption { get; init; } = ContentEncryptionAlgorithm.Aes256Cbc;

    /// <summary>Key transport this partner reads.</summary>
    public KeyTransportAlgorithm KeyTransport { get; init; } = KeyTransportAlgorithm.RsaPkcs1;
}

/// <summary>What an organisation key is for.</summary>
public enum OrganizationKeyUsage
{
    /// <summary>Signs outbound mail for the organisation.</summary>
    Signing,
    /// <summary>Decrypts inbound mail addressed to the organisation (gateway key).</summary>
    Decryption,
    /// <summary>Recovery (key escrow): its certificate is added to every encrypted copy; the private key stays offline.</summary>
    Recovery,
}

/// <summary>&lt;Key Name=".." Usage=".." ...source attributes/&gt;.</summary>
public sealed class OrganizationKeySettings
{
    /// <summary>Unique name rules refer to.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>What the key is for.</summary>
    public OrganizationKeyUsage Usage { get; init; }

    /// <summary>Where certificate and key come from (Recovery needs only the certificate).</summary>
    public CertificateSource Source { get; init; } = new();
}

/// <summary>&lt;Harvesting Enabled="false" Folder=".."/&gt;.</summary>
public sealed class HarvestingSettings
{
    /// <summary>Off by default.</summary>
    public bool Enabled { get; init; }

    /// <summary>Folder harvested certificates are written to (relative to the policy file).</summary>
    public string? Folder { get; init; }
}
