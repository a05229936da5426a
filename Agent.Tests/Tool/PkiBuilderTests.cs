using System;
using System.IO;
using ExchangeEncryptionAgent.Tests.Support;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Tool;

public sealed class PkiBuilderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-pki-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void IssuedChain_IsAcceptedByOpenSsl_ForSmimeUse()
    {
        var root = PkiBuilder.CreateRoot("CN=Test Root,O=Contoso");
        var leaf = PkiBuilder.Issue(root, new CertificateSpec
        {
            Subject = "CN=Alice,O=Contoso",
            Emails = new[] { "alice@contoso.com" },
            EmailInSubject = true,
        });
        File.WriteAllText(Path.Combine(_directory, "ca.crt"), root.CertificatePem);
        File.WriteAllText(Path.Combine(_directory, "alice.crt"), leaf.CertificatePem);
        File.WriteAllText(Path.Combine(_directory, "alice.key"), leaf.PrivateKeyPem);

        var verify = ExternalTool.OpenSsl(_directory, "verify", "-purpose", "smimeencrypt", "-CAfile", "ca.crt", "alice.crt");
        Assert.True(verify.ExitCode == 0, verify.ToString());

        var text = ExternalTool.OpenSsl(_directory, "x509", "-in", "alice.crt", "-noout", "-ext", "subjectAltName", "-subject");
        Assert.Contains("email:alice@contoso.com", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("emailAddress = alice@contoso.com", text.StandardOutput, StringComparison.Ordinal);

        var keyMatches = ExternalTool.OpenSsl(_directory, "rsa", "-in", "alice.key", "-check", "-noout");
        Assert.True(keyMatches.ExitCode == 0, keyMatches.ToString());
    }

    [Fact]
    public void SigningOnlyCertificate_IsRejectedByOpenSslForEncryption()
    {
        var root = PkiBuilder.CreateRoot("CN=Test Root");
        var leaf = PkiBuilder.Issue(root, new CertificateSpec { Subject = "CN=Signer", KeyUsage = KeyUsage.DigitalSignature });
        File.WriteAllText(Path.Combine(_directory, "ca.crt"), root.CertificatePem);
        File.WriteAllText(Path.Combine(_directory, "leaf.crt"), leaf.CertificatePem);

        var verify = ExternalTool.OpenSsl(_directory, "verify", "-purpose", "smimeencrypt", "-CAfile", "ca.crt", "leaf.crt");

        Assert.NotEqual(0, verify.ExitCode);
    }

    [Fact]
    public void Crl_RevokesTheListedCertificate_ForOpenSsl()
    {
        var root = PkiBuilder.CreateRoot("CN=Test Root");
        var good = PkiBuilder.Issue(root, new CertificateSpec { Subject = "CN=Good", KeyPair = root.KeyPair });
        var bad = PkiBuilder.Issue(root, new CertificateSpec { Subject = "CN=Bad", KeyPair = root.KeyPair });
        var crl = PkiBuilder.CreateCrl(root, new[] { bad.Certificate });
        File.WriteAllText(Path.Combine(_directory, "ca.crt"), root.CertificatePem);
        File.WriteAllText(Path.Combine(_directory, "crl.pem"), IssuedCertificate.ToPem(crl));
        File.WriteAllText(Path.Combine(_directory, "good.crt"), good.CertificatePem);
        File.WriteAllText(Path.Combine(_directory, "bad.crt"), bad.CertificatePem);

        var goodResult = ExternalTool.OpenSsl(_directory, "verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile", "ca.crt", "good.crt");
        var badResult = ExternalTool.OpenSsl(_directory, "verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile", "ca.crt", "bad.crt");

        Assert.True(goodResult.ExitCode == 0, goodResult.ToString());
        Assert.NotEqual(0, badResult.ExitCode);
        Assert.Contains("revoked", badResult.StandardOutput + badResult.StandardError, StringComparison.OrdinalIgnoreCase);
    }
}
