using System;
using System.IO;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>
/// The one test PKI: every certificate a test needs comes from here or is issued from its CAs with its keys (RSA key
/// generation is slow; <see cref="InboundTestPki"/> is the inbound tests' view of it). Generated once: a root CA, an
/// intermediate, personal certificates, a partner gateway certificate, the organisation's signing key and a recovery
/// certificate, written to a folder for openssl and gpgsm.
/// </summary>
internal sealed class TestPki
{
    private static readonly Lazy<TestPki> Instance = new(() => new TestPki());

    private TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("eea-smime-pki-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(Directory, recursive: true);
        Root = PkiBuilder.CreateRoot("CN=EEA Test Root,O=Contoso");
        Intermediate = PkiBuilder.Issue(Root, new CertificateSpec
        {
            Subject = "CN=EEA Test Issuing CA,O=Contoso",
            IsCertificateAuthority = true,
            KeyUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign,
            ExtendedKeyUsages = null,

            // Outlives every leaf issued from it, also the inbound tests' signers.
            NotAfter = DateTime.UtcNow.AddYears(5),
        });
        Alice = PkiBuilder.Issue(Intermediate, new CertificateSpec { Subject = "CN=Alice,O=Fabrikam", Emails = new[] { "alice@fabrikam.example" } });
        Bob = PkiBuilder.Issue(Intermediate, new CertificateSpec { Subject = "CN=Bob,O=Fabrikam", Emails = new[] { "bob@fabrikam.example" } });
        Gateway = PkiBuilder.Issue(Intermediate, new CertificateSpec { Subject = "CN=Fabrikam Mail Gateway,O=Fabrikam", DnsNames = new[] { "fabrikam.example" } });
        Signer = PkiBuilder.Issue(Intermediate, new CertificateSpec
        {
            Subject = "CN=Contoso Mail Signing,O=Contoso",
            Emails = new[] { "mail@contoso.example" },
            KeyUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation,
        });
        Recovery = PkiBuilder.Issue(Intermediate, new CertificateSpec { Subject = "CN=Contoso Key Recovery,O=Contoso", KeyUsage = KeyUsage.KeyEncipherment });

        Write("ca.crt", Root.CertificatePem);
        Write("intermediate.crt", Intermediate.CertificatePem);
        Write("chain.crt", Intermediate.CertificatePem + Root.CertificatePem);
        foreach (var (name, issued) in new[] { ("alice", Alice), ("bob", Bob), ("gateway", Gateway), ("signer", Signer), ("recovery", Recovery) })
        {
            Write(name + ".crt", issued.CertificatePem);
            Write(name + ".key", issued.PrivateKeyPem);
        }
    }

    public static TestPki Shared => Instance.Value;

    /// <summary>Folder holding ca.crt, intermediate.crt, chain.crt and NAME.crt / NAME.key.</summary>
    public string Directory { get; }

    public IssuedCertificate Root { get; }

    public IssuedCertificate Intermediate { get; }

    public IssuedCertificate Alice { get; }

    public IssuedCertificate Bob { get; }

    public IssuedCertificate Gateway { get; }

    public IssuedCertificate Signer { get; }

    public IssuedCertificate Recovery { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>A TLS server certificate for <paramref name="dnsName"/>, issued by <see cref="Root"/> with a key of the PKI.</summary>
    public IssuedCertificate IssueTlsServer(string dnsName) => PkiBuilder.Issue(Root, new CertificateSpec
    {
        Subject = "CN=" + dnsName,
        DnsNames = new[] { dnsName },
        KeyUsage = KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment,
        ExtendedKeyUsages = new[] { KeyPurposeID.id_kp_serverAuth },
        KeyPair = Gateway.KeyPair,
    });

    /// <summary>The organisation signing key as the certificate directory would hand it out.</summary>
    public PrivateKeyEntry SignerEntry => new("org-signing", Signer.Certificate, Signer.KeyPair.Private, new X509Certificate[] { Intermediate.Certificate });

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text);
}
