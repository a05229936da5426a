using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Xunit;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace ExchangeEncryptionAgent.Tests.Certificates;

public sealed class CertificateDirectoryTests : IDisposable
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly DateTime Now = DateTime.UtcNow;
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-certdir-").FullName;
    private readonly RevocationSettings _noRevocation = new() { Check = false };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void PersonalCertificate_IsFoundBySanRfc822Name_CaseInsensitive()
    {
        var directory = Load(Partners(File("partners/alice.crt", Pki.Alice.CertificatePem)));

        var lookup = directory.FindEncryptionCertificate("Alice@Fabrikam.Example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);

        Assert.True(lookup.Found, lookup.FailureReason);
        Assert.Equal(Pki.Alice.Certificate, lookup.Certificate);
        Assert.False(lookup.IsGateway);
    }

    [Fact]
    public void PersonalCertificate_IsFoundByTheEmailAddressDnAttribute()
    {
        var dnOnly = PkiBuilder.Issue(Pki.Intermediate, new CertificateSpec { Subject = "CN=Dana,O=Fabrikam,E=dana@fabrikam.example", KeyPair = Pki.Bob.KeyPair });
        Assert.Null(dnOnly.Certificate.GetSubjectAlternativeNames());
        var directory = Load(Partners(File("dana.pem", dnOnly.CertificatePem)));

        Assert.True(directory.FindEncryptionCertificate("DANA@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now).Found);
        Assert.Contains("dana@fabrikam.example", CertificateNames.EmailAddresses(dnOnly.Certificate));
    }

    [Fact]
    public void GatewayCertificate_IsFoundBySanDnsName_AndByExplicitDomainMapping()
    {
        var mapped = new CertificateSource { Kind = CertificateSourceKind.File, Path = File("mapped/gateway.crt", Pki.Gateway.CertificatePem), Domains = new[] { "northwind.example" } };
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            PartnerCertificates = new[] { PartnerFile("gateway.crt", Pki.Gateway.CertificatePem), mapped },
            Revocation = _noRevocation,
        });

        var bySan = directory.FindEncryptionCertificate("carol@fabrikam.example", EncryptionCertificateKind.Gateway, CertificateTrust.Configured, Now);
        var byMapping = directory.FindEncryptionCertificate("x@northwind.example", EncryptionCertificateKind.PersonalOrGateway, CertificateTrust.Configured, Now);
        var personalOnly = directory.FindEncryptionCertificate("carol@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);

        Assert.True(bySan.Found && bySan.IsGateway, bySan.FailureReason);
        Assert.True(byMapping.Found && byMapping.IsGateway, byMapping.FailureReason);
        Assert.False(personalOnly.Found);
        Assert.Equal("no personal certificate for carol@fabrikam.example", personalOnly.FailureReason);
    }

    [Fact]
    public void PersonalOrGateway_PrefersThePersonalCertificate()
    {
        var directory = Load(Partners(File("p/alice.crt", Pki.Alice.CertificatePem), File("p/gateway.crt", Pki.Gateway.CertificatePem)));

        var alice = directory.FindEncryptionCertificate("alice@fabrikam.example", EncryptionCertificateKind.PersonalOrGateway, CertificateTrust.Configured, Now);
        var carol = directory.FindEncryptionCertificate("carol@fabrikam.example", EncryptionCertificateKind.PersonalOrGateway, CertificateTrust.Configured, Now);

        Assert.Equal(Pki.Alice.Certificate, alice.Certificate);
        Assert.Equal(Pki.Gateway.Certificate, carol.Certificate);
    }

    [Fact]
    public void SeveralCandidates_TheNewestValidWins()
    {
        var older = PkiBuilder.Issue(Pki.Intermediate, new CertificateSpec { Subject = "CN=Erin old", Emails = new[] { "erin@fabrikam.example" }, NotBefore = Now.AddDays(-30), KeyPair = Pki.Alice.KeyPair });
        var newer = PkiBuilder.Issue(Pki.Intermediate, new CertificateSpec { Subject = "CN=Erin new", Emails = new[] { "erin@fabrikam.example" }, NotBefore = Now.AddDays(-2), KeyPair = Pki.Bob.KeyPair });
        var newestButExpired = PkiBuilder.Issue(Pki.Intermediate, new CertificateSpec { Subject = "CN=Erin broken", Emails = new[] { "erin@fabrikam.example" }, NotBefore = Now.AddDays(-1), NotAfter = Now.AddHours(-1), KeyPair = Pki.Bob.KeyPair });
        var directory = Load(Partners(File("erin.pem", older.CertificatePem + newestButExpired.CertificatePem + newer.CertificatePem)));

        var lookup = directory.FindEncryptionCertificate("erin@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);

        Assert.Equal(newer.Certificate, lookup.Certificate);
    }

    [Fact]
    public void SigningOnlyCertificate_IsNeverUsedToEncrypt()
    {
        var directory = Load(Partners(File("signer.crt", Pki.Signer.CertificatePem)));

        var lookup = directory.FindEncryptionCertificate("mail@contoso.example", EncryptionCertificateKind.PersonalOrGateway, CertificateTrust.Configured, Now);

        Assert.False(lookup.Found);
        Assert.Contains("not for encryption", lookup.FailureReason, StringComparison.Ordinal);
        Assert.Contains(CertificateNames.Thumbprint(Pki.Signer.Certificate), lookup.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void AddressMismatch_AnotherAddressesCertificateIsNeverReturned()
    {
        var directory = Load(Partners(File("alice.crt", Pki.Alice.CertificatePem)));

        var lookup = directory.FindEncryptionCertificate("mallory@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);

        Assert.False(lookup.Found);
        Assert.Equal("no personal certificate for mallory@fabrikam.example", lookup.FailureReason);
        Assert.False(CertificateNames.NamesAddress(Pki.Alice.Certificate, "mallory@fabrikam.example"));
    }

    [Fact]
    public void HarvestedCertificate_IsUsedOnlyWhenTheRuleAcceptsHarvested()
    {
        var harvest = Path.GetDirectoryName(File("harvest/alice.crt", Pki.Alice.CertificatePem))!;
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            Harvesting = new HarvestingSettings { Enabled = true, Folder = harvest },
            Revocation = _noRevocation,
        });

        var strict = directory.FindEncryptionCertificate("alice@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);
        var lenient = directory.FindEncryptionCertificate("alice@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Harvested, Now);

        Assert.False(strict.Found);
        Assert.True(lenient.Found);
        Assert.Equal(CertificateTrust.Harvested, lenient.Trust);
    }

    [Fact]
    public void UnreadablePartnerFile_IsAWarning_UnreadableAnchorIsAnError()
    {
        File("partners/broken.crt", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        File("partners/alice.crt", Pki.Alice.CertificatePem);
        var settings = new CertificateSettings
        {
            TrustAnchors = new[] { Anchor(), new CertificateSource { Kind = CertificateSourceKind.File, Path = "missing-root.crt", Location = "policy.xml:12:5" } },
            PartnerCertificates = new[] { new CertificateSource { Kind = CertificateSourceKind.Folder, Path = "partners", Location = "policy.xml:20:5" } },
            Revocation = _noRevocation,
        };

        var result = CertificateDirectory.Load(settings, _directory, NullAgentLog.Instance);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("policy.xml:12:5: ", error, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.StartsWith("policy.xml:20:5: ", StringComparison.Ordinal) && w.Contains("broken.crt", StringComparison.Ordinal));
    }

    [Fact]
    public void OrganizationSigningKey_FromPfxWithPasswordFile_IsFoundAndCarriesItsChain()
    {
        System.IO.File.WriteAllBytes(Path.Combine(_directory, "signer.pfx"), Pki.Signer.ToPfx("s3cret", "signer", Pki.Intermediate.Certificate, Pki.Root.Certificate));
        File("signer.password", "s3cret\n");
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            OrganizationKeys = new[]
            {
                new OrganizationKeySettings { Name = "org-signing", Usage = OrganizationKeyUsage.Signing, Source = new CertificateSource { Kind = CertificateSourceKind.File, PfxFile = "signer.pfx", PasswordFile = "signer.password" } },
            },
            Revocation = _noRevocation,
        });

        var lookup = directory.FindSigningKey("anyone@contoso.example", SignerKind.Organization, null, Now);

        Assert.True(lookup.Found, lookup.FailureReason);
        Assert.Equal(Pki.Signer.Certificate, lookup.Key!.Certificate);
        Assert.Equal(new[] { Pki.Intermediate.Certificate }, lookup.Key.Chain);
        Assert.Equal(((RsaKeyParameters)Pki.Signer.Certificate.GetPublicKey()).Modulus, ((RsaPrivateCrtKeyParameters)lookup.Key.PrivateKey).Modulus);
        Assert.False(directory.FindSigningKey("x@contoso.example", SignerKind.Organization, "other", Now).Found);
    }

    [Theory]
    [InlineData("pkcs8")]
    [InlineData("pkcs1")]
    [InlineData("encrypted-pkcs8")]
    public void KeyFile_InEachPemForm_PairsWithItsCertificate(string form)
    {
        var key = Pki.Signer.KeyPair.Private;
        string pem = form switch
        {
            "pkcs8" => Pki.Signer.PrivateKeyPem,
            "pkcs1" => IssuedCertificate.ToPem(Pki.Signer.KeyPair),
            _ => IssuedCertificate.ToPem(new Pkcs8Generator(key, Pkcs8Generator.PbeWithShaAnd3KeyTripleDesCbc) { Password = "pw".ToCharArray() }.Generate()),
        };
        File("signer.key", pem);
        File("signer.pw", "pw");
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            OrganizationKeys = new[]
            {
                new OrganizationKeySettings { Name = "sign", Usage = OrganizationKeyUsage.Signing, Source = new CertificateSource { Kind = CertificateSourceKind.File, Path = File("signer.crt", Pki.Signer.CertificatePem), KeyFile = "signer.key", PasswordFile = form == "encrypted-pkcs8" ? "signer.pw" : null } },
            },
            Revocation = _noRevocation,
        });

        Assert.True(directory.FindSigningKey("x@contoso.example", SignerKind.Organization, "sign", Now).Found);
    }

    [Fact]
    public void Pkcs12WithTwoKeysUnderOneFriendlyName_PairsKeysByPublicKey()
    {
        // RFC 9216's alice.p12 shape: a signing and an encryption certificate, two keys, one friendlyName.
        var signing = PkiBuilder.Issue(Pki.Intermediate, new CertificateSpec { Subject = "CN=Frank sign", Emails = new[] { "frank@contoso.example" }, KeyUsage = KeyUsage.DigitalSignature, KeyPair = Pki.Alice.KeyPair });
        var encryption = PkiBuilder.Issue(Pki.Intermediate, new CertificateSpec { Subject = "CN=Frank encrypt", Emails = new[] { "frank@contoso.example" }, KeyUsage = KeyUsage.KeyEncipherment, KeyPair = Pki.Bob.KeyPair });
        System.IO.File.WriteAllBytes(Path.Combine(_directory, "frank.p12"), TwoKeyPkcs12("frank", "pw", signing, encryption));
        File("frank.pw", "pw");
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            SenderKeys = new[] { new CertificateSource { Kind = CertificateSourceKind.File, PfxFile = "frank.p12", PasswordFile = "frank.pw" } },
            Revocation = _noRevocation,
        });

        var signingKey = directory.FindSigningKey("frank@contoso.example", SignerKind.Sender, null, Now);

        Assert.True(signingKey.Found, signingKey.FailureReason);
        Assert.Equal(signing.Certificate, signingKey.Key!.Certificate);
        Assert.Equal(2, directory.DecryptionKeys.Count);
        foreach (var entry in directory.DecryptionKeys)
        {
            Assert.Equal(((RsaKeyParameters)entry.Certificate.GetPublicKey()).Modulus, ((RsaPrivateCrtKeyParameters)entry.PrivateKey).Modulus);
        }
    }

    [Fact]
    public void SenderSigning_RequiresTheSendersOwnCertificate()
    {
        System.IO.File.WriteAllBytes(Path.Combine(_directory, "signer.pfx"), Pki.Signer.ToPfx("pw", "signer"));
        File("pw", "pw");
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            SenderKeys = new[] { new CertificateSource { Kind = CertificateSourceKind.File, PfxFile = "signer.pfx", PasswordFile = "pw" } },
            Revocation = _noRevocation,
        });

        Assert.True(directory.FindSigningKey("Mail@Contoso.Example", SignerKind.Sender, null, Now).Found);
        var other = directory.FindSigningKey("carol@contoso.example", SignerKind.Sender, null, Now);
        Assert.False(other.Found);
        Assert.Equal("no signing key for sender carol@contoso.example", other.FailureReason);
        Assert.False(directory.FindSigningKey("carol@contoso.example", SignerKind.SenderOrOrganization, null, Now).Found);
    }

    [Fact]
    public void RecoveryCertificate_IsReturnedWhenValid_AndItsKeyIsNotNeeded()
    {
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            OrganizationKeys = new[]
            {
                new OrganizationKeySettings { Name = "escrow", Usage = OrganizationKeyUsage.Recovery, Source = new CertificateSource { Kind = CertificateSourceKind.File, Path = File("recovery.crt", Pki.Recovery.CertificatePem) } },
            },
            Revocation = _noRevocation,
        });

        Assert.Equal(new[] { Pki.Recovery.Certificate }, directory.GetRecoveryCertificates(Now));
        Assert.Empty(directory.GetRecoveryCertificates(Pki.Recovery.Certificate.NotAfter.AddDays(1)));
    }

    [Fact]
    public void RevokedPartner_IsNotUsed_AndTheReasonSaysRevoked()
    {
        var crl = PkiBuilder.CreateCrl(Pki.Intermediate, new[] { Pki.Alice.Certificate });
        var rootCrl = PkiBuilder.CreateCrl(Pki.Root, Array.Empty<BcCertificate>());
        var directory = Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Intermediates = new[] { IntermediateDer() },
            PartnerCertificates = new[] { PartnerFile("alice.crt", Pki.Alice.CertificatePem), PartnerFile("bob.crt", Pki.Bob.CertificatePem) },
            Revocation = new RevocationSettings
            {
                CrlSources = new[]
                {
                    new CertificateSource { Kind = CertificateSourceKind.File, Path = File("crls/issuing.crl", IssuedCertificate.ToPem(crl)) },
                    new CertificateSource { Kind = CertificateSourceKind.File, Path = File("crls/root.crl", IssuedCertificate.ToPem(rootCrl)) },
                },
            },
        });

        var alice = directory.FindEncryptionCertificate("alice@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);
        var bob = directory.FindEncryptionCertificate("bob@fabrikam.example", EncryptionCertificateKind.Personal, CertificateTrust.Configured, Now);

        Assert.False(alice.Found);
        Assert.Contains("revoked", alice.FailureReason, StringComparison.Ordinal);
        Assert.True(bob.Found, bob.FailureReason);
    }

    [Fact]
    public void WindowsStoreSource_OnLinux_IsAClearError()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the store exists there
        }

        var result = CertificateDirectory.Load(new CertificateSettings
        {
            TrustAnchors = new[] { new CertificateSource { Kind = CertificateSourceKind.WindowsStore, StoreName = "Root", Location = "policy.xml:3:3" } },
        }, _directory, NullAgentLog.Instance);

        var error = Assert.Single(result.Errors);
        Assert.Contains("only be read when the agent runs on Windows", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlineFetch_IsReportedAsNotSupported()
    {
        var result = CertificateDirectory.Load(new CertificateSettings
        {
            TrustAnchors = new[] { Anchor() },
            Revocation = new RevocationSettings { OnlineFetch = true },
        }, _directory, NullAgentLog.Instance);

        Assert.True(result.Succeeded);
        Assert.Contains(result.Warnings, w => w.Contains("OnlineFetch is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void PartnerSettings_ExactThenWildcardThenDefaults()
    {
        var directory = CertificateDirectory.Load(new CertificateSettings
        {
            Partners = new[]
            {
                new PartnerSettings { Domain = "fabrikam.example", KeyTransport = KeyTransportAlgorithm.RsaOaepSha256 },
                new PartnerSettings { Domain = "*.northwind.example", ContentEncryption = ContentEncryptionAlgorithm.Aes128Cbc },
            },
        }, _directory, NullAgentLog.Instance).Directory;

        Assert.Equal(KeyTransportAlgorithm.RsaOaepSha256, directory.GetPartnerSettings("FABRIKAM.example").KeyTransport);
        Assert.Equal(ContentEncryptionAlgorithm.Aes128Cbc, directory.GetPartnerSettings("mail.northwind.example").ContentEncryption);
        Assert.Equal(ContentEncryptionAlgorithm.Aes256Cbc, directory.GetPartnerSettings("other.example").ContentEncryption);
    }

    private CertificateDirectory Load(CertificateSettings settings)
    {
        var result = CertificateDirectory.Load(settings, _directory, NullAgentLog.Instance);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Directory;
    }

    private CertificateSettings Partners(params string[] files) => new()
    {
        TrustAnchors = new[] { Anchor() },
        Intermediates = new[] { IntermediateDer() },
        PartnerCertificates = files.Select(f => new CertificateSource { Kind = CertificateSourceKind.File, Path = f }).ToArray(),
        Revocation = _noRevocation,
    };

    private CertificateSource Anchor() => new() { Kind = CertificateSourceKind.File, Path = File("anchors/root.crt", Pki.Root.CertificatePem) };

    private CertificateSource IntermediateDer()
    {
        var path = Path.Combine(_directory, "intermediate.der");
        System.IO.File.WriteAllBytes(path, Pki.Intermediate.Certificate.GetEncoded());
        return new CertificateSource { Kind = CertificateSourceKind.File, Path = "intermediate.der" };
    }

    private CertificateSource PartnerFile(string name, string pem) => new() { Kind = CertificateSourceKind.File, Path = File(name, pem) };

    private string File(string relative, string content)
    {
        var path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return relative;
    }

    private static byte[] TwoKeyPkcs12(string friendlyName, string password, params IssuedCertificate[] pairs)
    {
        var contents = new Pkcs12SafeContents();
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12, HashAlgorithmName.SHA1, 2048);
        var name = new AsnEncodedData("1.2.840.113549.1.9.20", new DerSet(new DerBmpString(friendlyName)).GetEncoded()[2..]);
        byte id = 1;
        foreach (var pair in pairs)
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(DotNetUtilities.ToRSAParameters((RsaPrivateCrtKeyParameters)pair.KeyPair.Private));
            var keyBag = contents.AddShroudedKey(rsa, password, pbe);
            keyBag.Attributes.Add(new Pkcs9LocalKeyId(new[] { id }));
            keyBag.Attributes.Add(name);
            using var certificate = X509CertificateLoader.LoadCertificate(pair.Certificate.GetEncoded());
            var certBag = contents.AddCertificate(certificate);
            certBag.Attributes.Add(new Pkcs9LocalKeyId(new[] { id }));
            certBag.Attributes.Add(name);
            id++;
        }

        var builder = new Pkcs12Builder();
        builder.AddSafeContentsUnencrypted(contents);
        builder.SealWithMac(password, HashAlgorithmName.SHA1, 2048);
        return builder.Encode();
    }
}
