using System;
using System.Collections.Generic;
using System.IO;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>
/// The inbound tests' view of the one <see cref="TestPki"/>: its root and issuing CA, a gateway decryption certificate,
/// someone else's certificate, and signer certificates for the RFC 8550 checks, all issued from the shared PKI (no
/// second CA, no new RSA keys). Per collection: its own <see cref="Folder"/> with the PEM files for openssl (tests write
/// there too) and a recording validator.
/// </summary>
public sealed class InboundTestPki : IDisposable
{
    public const string SenderAddress = "bob@fabrikam.example";
    public const string RecipientAddress = "alice@contoso.example";

    private readonly AsymmetricCipherKeyPair _signerKey;

    public InboundTestPki()
    {
        var pki = TestPki.Shared;
        Folder = System.IO.Directory.CreateTempSubdirectory("eea-inbound-pki-").FullName;
        _signerKey = pki.Bob.KeyPair;
        Root = pki.Root;
        Intermediate = pki.Intermediate;
        Gateway = PkiBuilder.Issue(Root, new CertificateSpec
        {
            Subject = "CN=Contoso Mail Gateway,O=Contoso",
            Emails = new[] { "gateway@contoso.example" },
            KeyUsage = KeyUsage.KeyEncipherment | KeyUsage.DigitalSignature,
            KeyPair = pki.Recovery.KeyPair,
        });
        Other = PkiBuilder.Issue(Root, new CertificateSpec { Subject = "CN=Someone Else,O=Elsewhere", Emails = new[] { "someone@elsewhere.example" }, KeyPair = pki.Alice.KeyPair });
        Signer = IssueSigner("CN=Bob,O=Fabrikam", SenderAddress);
        GatewayKey = new PrivateKeyEntry("Gateway", Gateway.Certificate, Gateway.KeyPair.Private, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());
        // The production validator, with CRLs from both CAs, as a policy with <Revocation> files configures it.
        var crls = new[] { PkiBuilder.CreateCrl(Root, Array.Empty<Org.BouncyCastle.X509.X509Certificate>()), PkiBuilder.CreateCrl(Intermediate, Array.Empty<Org.BouncyCastle.X509.X509Certificate>()) };
        Validator = new RecordingCertificateValidator(new CertificateValidator(new[] { Root.Certificate }, Array.Empty<Org.BouncyCastle.X509.X509Certificate>(), crls, new RevocationSettings()));

        Write("root.crt", Root.CertificatePem);
        Write("inter.crt", Intermediate.CertificatePem);
        Write("gateway.crt", Gateway.CertificatePem);
        Write("gateway.key", Gateway.PrivateKeyPem);
        Write("other.crt", Other.CertificatePem);
        Write("other.key", Other.PrivateKeyPem);
        Write("signer.crt", Signer.CertificatePem);
        Write("signer.key", Signer.PrivateKeyPem);
    }

    /// <summary>Holds the PEM files (and whatever a test writes there).</summary>
    public string Folder { get; }

    internal IssuedCertificate Root { get; }

    internal IssuedCertificate Intermediate { get; }

    internal IssuedCertificate Gateway { get; }

    internal IssuedCertificate Other { get; }

    internal IssuedCertificate Signer { get; }

    internal PrivateKeyEntry GatewayKey { get; }

    internal RecordingCertificateValidator Validator { get; }

    /// <summary>A directory that can decrypt for the gateway certificate and trusts only <see cref="Root"/>.</summary>
    internal TestCertificateDirectory Directory(params PrivateKeyEntry[] keys)
        => new(keys.Length == 0 ? new[] { GatewayKey } : keys, Validator);

    /// <summary>A signer certificate with the signer key pair, from the intermediate CA unless self-signed.</summary>
    internal IssuedCertificate IssueSigner(string subject, string? email, int? keyUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation,
        IReadOnlyList<Org.BouncyCastle.Asn1.DerObjectIdentifier>? extendedKeyUsages = null, DateTime? notBefore = null, DateTime? notAfter = null,
        bool selfSigned = false)
        => PkiBuilder.Issue(selfSigned ? null : Intermediate, new CertificateSpec
        {
            Subject = subject,
            Emails = email is null ? Array.Empty<string>() : new[] { email },
            KeyUsage = keyUsage,
            ExtendedKeyUsages = extendedKeyUsages ?? new[] { KeyPurposeID.id_kp_emailProtection },
            KeyPair = _signerKey,
            NotBefore = notBefore ?? DateTime.UtcNow.AddDays(-1),
            NotAfter = notAfter ?? DateTime.UtcNow.AddYears(2),
        });

    /// <summary>Writes <paramref name="content"/> into the PKI folder and returns the file name.</summary>
    public string Write(string name, string content)
    {
        File.WriteAllText(Path.Combine(Folder, name), content);
        return name;
    }

    public string Write(string name, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(Folder, name), content);
        return name;
    }

    public byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public void Dispose() => System.IO.Directory.Delete(Folder, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class InboundPkiGroup : ICollectionFixture<InboundTestPki>
{
    public const string Name = "inbound-pki";
}
