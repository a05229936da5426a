using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tool.Demo;

/// <summary>
/// The demo's certificate authority and everything it issues, written as PEM `.crt`/`.key` pairs (and a CRL) under
/// DIR/pki, so anyone can check each output with openssl. Generated afresh on every run; never for production.
/// </summary>
internal sealed class DemoPki
{
    private const int EmailKeyUsage = KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment;

    private readonly Dictionary<string, IssuedCertificate> _issued = new(StringComparer.Ordinal);

    private DemoPki(string directory) => Directory = directory;

    public string Directory { get; }

    public IssuedCertificate this[string name] => _issued[name];

    public static DemoPki Create(string directory)
    {
        // Private keys below: the folder is the owner's only (0700) and each .key file 0600, as ssh expects of keys.
        OwnerOnlyFiles.EnsureDirectory(directory, tightenExisting: true);
        var pki = new DemoPki(directory);
        var ca = PkiBuilder.CreateRoot("CN=Demo Mail CA,O=ExchangeEncryptionAgent Demo");
        pki.Add("ca", ca);
        pki.Add("fabrikam-gateway", PkiBuilder.Issue(ca, Spec("CN=mail.fabrikam.example,O=Fabrikam", EmailKeyUsage, dnsName: "fabrikam.example")));
        pki.Add("bob", PkiBuilder.Issue(ca, Spec("CN=Bob Brown,O=Northwind", EmailKeyUsage, email: "bob@northwind.example")));
        pki.Add("ivy", PkiBuilder.Issue(ca, Spec("CN=Ivy Ibsen,O=Northwind", EmailKeyUsage, email: "ivy@northwind.example")));
        pki.Add("dave", PkiBuilder.Issue(ca, Spec("CN=Dave Dunn,O=Fabrikam", EmailKeyUsage | KeyUsage.NonRepudiation, email: "dave@fabrikam.example")));
        pki.Add("contoso-signing", PkiBuilder.Issue(ca, Spec("CN=Contoso Mail Gateway,O=Contoso", KeyUsage.DigitalSignature | KeyUsage.NonRepudiation, email: "mail-gateway@contoso.example")));
        pki.Add("contoso-decryption", PkiBuilder.Issue(ca, Spec("CN=mail.contoso.example,O=Contoso", KeyUsage.KeyEncipherment, dnsName: "contoso.example")));
        pki.Add("recovery", PkiBuilder.Issue(ca, Spec("CN=Contoso Key Recovery,O=Contoso", KeyUsage.KeyEncipherment)));
        File.WriteAllText(Path.Combine(directory, "ca.crl"), IssuedCertificate.ToPem(PkiBuilder.CreateCrl(ca, Array.Empty<X509Certificate>())));
        return pki;
    }

    /// <summary>The pki/ file name (without extension) of a certificate the demo issued, or null.</summary>
    public string? NameOf(X509Certificate certificate)
    {
        var thumbprint = CertificateNames.Thumbprint(certificate);
        return _issued.FirstOrDefault(p => CertificateNames.Thumbprint(p.Value.Certificate) == thumbprint).Key;
    }

    private void Add(string name, IssuedCertificate issued)
    {
        _issued[name] = issued;
        File.WriteAllText(Path.Combine(Directory, name + ".crt"), issued.CertificatePem);
        OwnerOnlyFiles.WriteAllText(Path.Combine(Directory, name + ".key"), issued.PrivateKeyPem);
    }

    private static CertificateSpec Spec(string subject, int keyUsage, string? email = null, string? dnsName = null) => new()
    {
        Subject = subject,
        KeyUsage = keyUsage,
        Emails = email is null ? Array.Empty<string>() : new[] { email },
        DnsNames = dnsName is null ? Array.Empty<string>() : new[] { dnsName },
        EmailInSubject = email is not null,
        NotBefore = DateTime.UtcNow.AddDays(-1),
        NotAfter = DateTime.UtcNow.AddYears(1),
    };
}
