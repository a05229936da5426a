using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Smime.Gcm;
using Org.BouncyCastle.X509;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Support.SmimeTestMessages;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

[Collection(InboundPkiGroup.Name)]
public sealed class CertificateHarvesterTests : IDisposable
{
    private readonly InboundTestPki _pki;
    private readonly string _folder;

    public CertificateHarvesterTests(InboundTestPki pki)
    {
        _pki = pki;
        _folder = Path.Combine(pki.Folder, "harvested-" + Guid.NewGuid().ToString("N"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ValidExternalSignature_IsHarvestedOnce_AsPem()
    {
        var log = new CollectingAgentLog();
        var harvester = new CertificateHarvester(new HarvestingSettings { Enabled = true, Folder = _folder }, log);
        var result = Verify(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key"));

        Assert.Equal(HarvestOutcome.Harvested, harvester.Harvest(result, senderIsExternal: true));
        Assert.Equal(HarvestOutcome.AlreadyKnown, harvester.Harvest(result, senderIsExternal: true));

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.StartsWith(InboundTestPki.SenderAddress + "_", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.EndsWith(".pem", file, StringComparison.Ordinal);
        var stored = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(file));
        Assert.Equal(_pki.Signer.Certificate, stored);
        Assert.True(log.Has(EventIds.CertificateHarvested));
        Assert.True(log.Has(EventIds.CertificateHarvestSkipped));
    }

    [Fact]
    public void OpenSslReadsTheHarvestedFile()
    {
        var harvester = new CertificateHarvester(new HarvestingSettings { Enabled = true, Folder = _folder }, new CollectingAgentLog());
        harvester.Harvest(Verify(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key")), senderIsExternal: true);

        var file = Assert.Single(Directory.GetFiles(_folder));
        var text = OpenSslRunner.ExternalToolRunIn(_pki.Folder, "x509", "-in", file, "-noout", "-subject");
        Assert.Contains("CN = Bob", text, StringComparison.Ordinal);
    }

    [Fact]
    public void InternalSenders_InvalidAndUntrustedSignatures_AreNotHarvested()
    {
        var harvester = new CertificateHarvester(new HarvestingSettings { Enabled = true, Folder = _folder }, new CollectingAgentLog());
        var valid = Verify(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key"));
        var invalid = Verify(ReplaceText(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key"), "secret plan", "public plan"));
        var selfSigned = _pki.IssueSigner("CN=Bob,O=Fabrikam", InboundTestPki.SenderAddress, selfSigned: true);
        var untrusted = Verify(VerificationTests.BuildMultipartSigned(Entity(),
            VerificationTests.DetachedSignature(Entity(), selfSigned, _pki.Intermediate.Certificate), InboundTestPki.SenderAddress));

        Assert.Equal(SignatureStatus.Invalid, invalid.Signature);
        Assert.Equal(SignatureStatus.Untrusted, untrusted.Signature);
        Assert.Equal(HarvestOutcome.NotEligible, harvester.Harvest(valid, senderIsExternal: false));
        Assert.Equal(HarvestOutcome.NotEligible, harvester.Harvest(invalid, senderIsExternal: true));
        Assert.Equal(HarvestOutcome.NotEligible, harvester.Harvest(untrusted, senderIsExternal: true));
        Assert.False(Directory.Exists(_folder) && Directory.EnumerateFiles(_folder).Any());
    }

    [Fact]
    public void HarvestingIsOffByDefault()
    {
        var harvester = new CertificateHarvester(new HarvestingSettings { Folder = _folder }, new CollectingAgentLog());

        Assert.False(new HarvestingSettings().Enabled);
        Assert.Equal(HarvestOutcome.Disabled, harvester.Harvest(Verify(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key")), senderIsExternal: true));
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public void ConfiguredCertificates_AreNeverOverwrittenOrDuplicated()
    {
        var result = Verify(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key"));
        var configured = new CertificateHarvester(new HarvestingSettings { Enabled = true, Folder = _folder }, new CollectingAgentLog(),
            isConfigured: c => c.Equals(_pki.Signer.Certificate));
        Assert.Equal(HarvestOutcome.AlreadyKnown, configured.Harvest(result, senderIsExternal: true));

        // A file an administrator put there under the harvested name stays as it is.
        var harvester = new CertificateHarvester(new HarvestingSettings { Enabled = true, Folder = _folder }, new CollectingAgentLog());
        Directory.CreateDirectory(_folder);
        var name = Path.Combine(_folder, "admin-copy_" + ExchangeEncryptionAgent.Certificates.CertificateNames.Thumbprint(_pki.Signer.Certificate) + ".pem");
        File.WriteAllText(name, "configured by hand");
        Assert.Equal(HarvestOutcome.AlreadyKnown, harvester.Harvest(result, senderIsExternal: true));
        Assert.Equal("configured by hand", File.ReadAllText(name));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void RelativeFolder_IsResolvedAgainstTheBaseDirectory()
    {
        var harvester = new CertificateHarvester(new HarvestingSettings { Enabled = true, Folder = Path.GetFileName(_folder) }, new CollectingAgentLog(), baseDirectory: _pki.Folder);

        Assert.Equal(HarvestOutcome.Harvested, harvester.Harvest(Verify(OpenSslSign(_pki, Entity(), "signer.crt", "signer.key")), senderIsExternal: true));
        Assert.Single(Directory.GetFiles(_folder));
    }

    private InboundSmimeResult Verify(byte[] message)
        => Transform(message, new InboundSmimeOptions { Verify = new VerifySmimeAction() }, _pki.Directory()).Result;
}
