using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tool.Demo;
using NLog.Targets;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>
/// The demo PKI (CA, Fabrikam gateway, Northwind personal certificates, Contoso signing/decryption/recovery keys, CRL)
/// generated once, and policies built around it: the real agent, the real engine, the simulated transport.
/// </summary>
public sealed class PipelineFixture : IDisposable
{
    public PipelineFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("eea-pipeline-").FullName;
        Pki = DemoPki.Create(Path.Combine(Directory, "pki"));
    }

    public string Directory { get; }

    internal DemoPki Pki { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>A policy with the demo's settings and certificates and the given rules; returns its path.</summary>
    public string WritePolicy(string rules, string settings = "", string certificates = "", string keys = "")
    {
        var xml = $"""
            <Policy xmlns="urn:exchange-encryption-agent:policy:v1">
              <Settings>
                <OrganizationDomains><Domain>contoso.example</Domain></OrganizationDomains>
                <ForcedTls AddressSpace="forcetls.contoso.example" />
                {settings}
              </Settings>
              <Certificates>
                <TrustAnchors><File Path="pki/ca.crt" /></TrustAnchors>
                <Revocation><File Path="pki/ca.crl" /></Revocation>
                <PartnerCertificates>
                  <File Path="pki/fabrikam-gateway.crt" Domains="fabrikam.example" />
                  <File Path="pki/bob.crt" />
                  <File Path="pki/ivy.crt" />
                </PartnerCertificates>
                {certificates}
                <OrganizationKeys>
                  {(keys.Length > 0 ? keys : """<Key Name="contoso-signing" Usage="Signing" CertificateFile="pki/contoso-signing.crt" KeyFile="pki/contoso-signing.key" />""")}
                  <Key Name="contoso-decryption" Usage="Decryption" CertificateFile="pki/contoso-decryption.crt" KeyFile="pki/contoso-decryption.key" />
                  <Key Name="contoso-recovery" Usage="Recovery" CertificateFile="pki/recovery.crt" />
                </OrganizationKeys>
              </Certificates>
              <Rules>
                {rules}
              </Rules>
            </Policy>
            """;
        var path = Path.Combine(Directory, $"policy-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, xml);
        return path;
    }

    /// <summary>Loads <paramref name="policyPath"/> (it must be valid) and runs one message through the agent.</summary>
    internal PipelineRun Run(string policyPath, string mime, string mailFrom, params string[] recipients)
        => Run(policyPath, Encoding.UTF8.GetBytes(mime), null, mailFrom, recipients);

    /// <summary>
    /// As <see cref="Run(string, string, string, string[])"/>, with what Exchange knows about the SMTP session: the
    /// authenticated submitter (empty when nobody authenticated, "&lt;&gt;" for an anonymous one).
    /// </summary>
    internal PipelineRun RunSubmitted(string policyPath, string mime, string mailFrom, string originalAuthenticator, params string[] recipients)
    {
        var origin = originalAuthenticator.Length > 0 && originalAuthenticator != "<>" ? SimulatedOrigin.SmtpAuthenticated : SimulatedOrigin.SmtpAnonymous;
        return RunWith(new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.example" } }, policyPath, Encoding.UTF8.GetBytes(mime), origin, mailFrom, recipients, originalAuthenticator);
    }

    /// <summary>
    /// Runs exact bytes, submitted as <paramref name="origin"/> says (null: the simulator's default, a mailbox for a
    /// contoso.example MAIL FROM and anonymous SMTP otherwise).
    /// </summary>
    internal PipelineRun Run(string policyPath, byte[] content, SimulatedOrigin? origin, string mailFrom, params string[] recipients)
        => RunWith(new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.example" } }, policyPath, content, origin, mailFrom, recipients);

    /// <summary>As <see cref="Run(string, byte[], SimulatedOrigin?, string, string[])"/>, on a server with other accepted domains.</summary>
    internal PipelineRun RunWith(TransportSimulatorOptions options, string policyPath, byte[] content, SimulatedOrigin? origin, string mailFrom, params string[] recipients)
        => RunWith(options, policyPath, content, origin, mailFrom, recipients, originalAuthenticator: null);

    private PipelineRun RunWith(TransportSimulatorOptions options, string policyPath, byte[] content, SimulatedOrigin? origin, string mailFrom, string[] recipients, string? originalAuthenticator)
    {
        var logging = AgentLogging.CreateInMemory(out var memory);
        var loaded = LoadedPolicy.Load(policyPath, logging.Log);
        Assert.True(loaded.Value is not null, string.Join("\n", loaded.Errors));
        var spool = Path.Combine(Directory, "spool-" + Guid.NewGuid().ToString("N"));
        var runtime = AgentRuntimeFactory.CreateForPolicy(loaded.Value!, new AgentSettings(), logging.Log, spool);
        var simulated = recipients.Select(r => new SimulatedRecipient(r, r.EndsWith("@contoso.example", StringComparison.OrdinalIgnoreCase))).ToList();
        var result = new TransportSimulator(options)
            .Run(() => new EncryptionRoutingAgentFactory(runtime), new SimulatedMessage(mailFrom, simulated, () => new MemoryStream(content, writable: false))
            {
                Origin = origin,
                OriginalAuthenticator = originalAuthenticator,
            });
        var leftovers = System.IO.Directory.Exists(spool) ? System.IO.Directory.GetFiles(spool).Length : 0;
        logging.Dispose();
        return new PipelineRun(result, memory.Logs.ToList(), leftovers);
    }

    /// <summary>Decrypts an enveloped copy with a demo key, independently of our code (BouncyCastle's CMS parser).</summary>
    internal byte[] Decrypt(byte[] message, string keyName)
    {
        var text = Encoding.ASCII.GetString(message);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var enveloped = new CmsEnvelopedData(Convert.FromBase64String(body));
        var issued = Pki[keyName];
        var recipient = enveloped.GetRecipientInfos().GetFirstRecipient(new RecipientID { Issuer = issued.Certificate.IssuerDN, SerialNumber = issued.Certificate.SerialNumber })
            ?? throw new InvalidOperationException($"{keyName} is not a recipient of this copy");
        return recipient.GetContent(issued.KeyPair.Private);
    }

    /// <summary>Decrypts a delivered copy with openssl cms (an independent implementation) and a demo key; returns the MIME inside.</summary>
    internal string OpenSslDecrypt(DeliveredCopy copy, string keyName)
    {
        var name = "copy-" + Guid.NewGuid().ToString("N");
        copy.SaveTo(Path.Combine(Directory, name + ".eml"));
        var result = Support.ExternalTool.OpenSsl(Directory, "cms", "-decrypt", "-inform", "SMIME", "-in", name + ".eml",
            "-recip", $"pki/{keyName}.crt", "-inkey", $"pki/{keyName}.key", "-out", name + ".mime");
        Assert.True(result.ExitCode == 0, "openssl cms -decrypt: " + result);
        return File.ReadAllText(Path.Combine(Directory, name + ".mime"), Encoding.Latin1);
    }

    /// <summary>The RecipientInfos of an enveloped copy, as demo certificate names.</summary>
    internal IReadOnlyList<string> Recipients(byte[] message)
    {
        var text = Encoding.ASCII.GetString(message);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var enveloped = new CmsEnvelopedData(Convert.FromBase64String(body));
        return enveloped.GetRecipientInfos().GetRecipients()
            .Select(r => new[] { "fabrikam-gateway", "bob", "ivy", "dave", "contoso-signing", "contoso-decryption", "recovery" }
                .First(n => Pki[n].Certificate.SerialNumber.Equals(r.RecipientID.SerialNumber)))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>What one message became, and what the agent logged.</summary>
internal sealed class PipelineRun : IDisposable
{
    public PipelineRun(SimulationResult result, IReadOnlyList<string> log, int spoolFilesLeft)
    {
        Result = result;
        Log = log;
        SpoolFilesLeft = spoolFilesLeft;
    }

    public SimulationResult Result { get; }

    public IReadOnlyList<string> Log { get; }

    public int SpoolFilesLeft { get; }

    public DeliveredCopy CopyFor(string recipient) => Result.Delivered.Single(c => c.RecipientAddresses.Contains(recipient, StringComparer.OrdinalIgnoreCase));

    public bool Logged(AgentEvent agentEvent) => Log.Any(l => l.Contains($"|{agentEvent.Id}|", StringComparison.Ordinal));

    public void Dispose() => Result.Dispose();
}
