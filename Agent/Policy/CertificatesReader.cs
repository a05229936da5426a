using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Policy.Model;
using static ExchangeEncryptionAgent.Policy.PolicyXml;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Reads &lt;Certificates&gt; into the certificate engineer's model; file contents are checked when certificates load, not here.</summary>
internal sealed class CertificatesReader
{
    private static readonly char[] ListSeparators = { ' ', '\t', '\r', '\n' };

    private readonly PolicyReadContext _context;

    public CertificatesReader(PolicyReadContext context)
    {
        _context = context;
    }

    public CertificateSettings Read(XElement element)
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
                _context.Error(partner, $"partner domain '{domain}' is already configured at line {Position(first).Line}");
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
                _context.Error(key, $"key name '{name}' is already used at line {Position(first).Line}");
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
                _context.Error(harvestingElement, "Harvesting Enabled=\"true\" needs a Folder to store harvested certificates in");
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
                _context.Error(key, $"key '{name}': use either Store and Thumbprint or files (CertificateFile/KeyFile or PfxFile), not both");
            }

            if (Attr(key, "Thumbprint") is null)
            {
                _context.Error(key, $"key '{name}': Store needs a Thumbprint to pick one certificate");
            }

            source = new CertificateSource { Kind = CertificateSourceKind.WindowsStore, StoreName = store, Thumbprint = Attr(key, "Thumbprint"), Location = _context.Location(key) };
        }
        else
        {
            if (certificateFile is null && pfxFile is null)
            {
                _context.Error(key, $"key '{name}' needs CertificateFile (with KeyFile), PfxFile, or Store and Thumbprint");
            }
            else if (certificateFile is not null && pfxFile is not null)
            {
                _context.Error(key, $"key '{name}': use either CertificateFile (with KeyFile) or PfxFile, not both");
            }
            else if (usage != OrganizationKeyUsage.Recovery && certificateFile is not null && keyFile is null)
            {
                _context.Error(key, $"key '{name}' is used for {usage} and needs its private key: add KeyFile (or use PfxFile)");
            }

            source = new CertificateSource
            {
                Kind = CertificateSourceKind.File,
                Path = certificateFile,
                KeyFile = keyFile,
                PfxFile = pfxFile,
                PasswordFile = Attr(key, "PasswordFile"),
                Location = _context.Location(key),
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
                        _context.Error(element, "<File> needs Path (a certificate file) or PfxFile");
                    }

                    sources.Add(new CertificateSource
                    {
                        Kind = CertificateSourceKind.File,
                        Path = Attr(element, "Path"),
                        KeyFile = Attr(element, "KeyFile"),
                        PfxFile = Attr(element, "PfxFile"),
                        PasswordFile = Attr(element, "PasswordFile"),
                        Domains = domains,
                        Location = _context.Location(element),
                    });
                    break;
                case "Folder":
                    sources.Add(new CertificateSource { Kind = CertificateSourceKind.Folder, Path = Attr(element, "Path"), Domains = domains, Location = _context.Location(element) });
                    break;
                case "WindowsStore":
                    sources.Add(new CertificateSource
                    {
                        Kind = CertificateSourceKind.WindowsStore,
                        StoreName = Attr(element, "Store"),
                        StoreLocation = Attr(element, "Location") ?? "LocalMachine",
                        Thumbprint = Attr(element, "Thumbprint"),
                        Domains = domains,
                        Location = _context.Location(element),
                    });
                    break;
            }
        }

        return sources;
    }

}
