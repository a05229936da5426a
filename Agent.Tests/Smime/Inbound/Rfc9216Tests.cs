using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Support;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Support.SmimeTestMessages;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

/// <summary>
/// Interoperability with the public example keys of RFC 9216 "S/MIME Example Keys and Certificates" (D. K. Gillmor,
/// April 2022). The key material is extracted here from TestData/rfc9216.txt, an unmodified copy of the RFC.
/// Copyright (c) 2022 IETF Trust and the persons identified as the document authors. All rights reserved.
/// Code Components are provided under the Revised BSD License (BCP 78, IETF Trust Legal Provisions §4.e).
/// </summary>
public sealed class Rfc9216Tests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eea-rfc9216-").FullName;
    private readonly Dictionary<string, string> _pem;

    public Rfc9216Tests()
    {
        _pem = Extract(File.ReadAllLines(RepoPaths.TestData("rfc9216.txt")));
        File.WriteAllText(Path.Combine(_folder, "ca.crt"), _pem["3.1"]);
        File.WriteAllText(Path.Combine(_folder, "alice-enc.crt"), _pem["4.3"]);
        File.WriteAllText(Path.Combine(_folder, "alice-enc.key"), _pem["4.4"]);
        File.WriteAllText(Path.Combine(_folder, "bob-sign.crt"), _pem["5.1"]);
        File.WriteAllText(Path.Combine(_folder, "bob-sign.key"), _pem["5.2"]);
        File.WriteAllBytes(Path.Combine(_folder, "body.mime"), Entity());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("-aes256")]
    [InlineData("-aes-256-gcm")]
    [InlineData("-aes-128-gcm")]
    public void MailEncryptedToAlicesEncryptionCertificate_IsDecryptedWithAlicesKey(string cipher)
    {
        Run("cms", "-encrypt", cipher, "-binary", "-in", "body.mime", "-outform", "SMIME", "-out", "enc.eml",
            "-from", "bob@smime.example", "-to", "alice@smime.example", "-subject", "RFC 9216", "alice-enc.crt");

        var run = Transform(File.ReadAllBytes(Path.Combine(_folder, "enc.eml")), new InboundSmimeOptions { Decrypt = new DecryptSmimeAction { UnsignedCbcContent = UnsignedCbcContent.Deliver } }, AliceDirectory());

        Assert.Equal(DecryptionOutcome.Decrypted, run.Result.Decryption);
        Assert.Equal("Alice (RFC 9216)", run.Result.DecryptionKeyName);
        Assert.Equal(Body(Entity()), run.Body);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MailSignedWithBobsSigningKey_IsValid(bool pss)
    {
        var arguments = new List<string>
        {
            "cms", "-sign", "-binary", "-in", "body.mime", "-signer", "bob-sign.crt", "-inkey", "bob-sign.key", "-md", "sha256",
            "-outform", "SMIME", "-out", "signed.eml", "-from", "bob@smime.example", "-to", "alice@smime.example", "-subject", "RFC 9216",
        };
        if (pss)
        {
            arguments.AddRange(new[] { "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest" });
        }

        Run(arguments.ToArray());

        var run = Transform(File.ReadAllBytes(Path.Combine(_folder, "signed.eml")), new InboundSmimeOptions { Verify = new VerifySmimeAction() }, AliceDirectory());

        Assert.Equal(SignatureStatus.Valid, run.Result.Signature);
        Assert.Equal("valid; signer=bob@smime.example", run.Header(AgentHeaders.Signature));
    }

    [Fact]
    public void MailSignedWithAlicesEncryptionKey_IsInvalid_ForKeyUsage()
    {
        // RFC 9216 gives Alice separate certificates; the encryption one has keyEncipherment only (RFC 8550 §4.4.2).
        Run("cms", "-sign", "-binary", "-in", "body.mime", "-signer", "alice-enc.crt", "-inkey", "alice-enc.key", "-md", "sha256",
            "-outform", "SMIME", "-out", "misused.eml", "-from", "alice@smime.example");

        var run = Transform(File.ReadAllBytes(Path.Combine(_folder, "misused.eml")), new InboundSmimeOptions { Verify = new VerifySmimeAction() }, AliceDirectory());

        Assert.Equal(SignatureStatus.Invalid, run.Result.Signature);
        Assert.Equal(SignatureProblem.KeyUsage, run.Result.SignatureProblem);
    }

    private TestCertificateDirectory AliceDirectory()
    {
        var alice = new PrivateKeyEntry("Alice (RFC 9216)", Certificate("4.3"), PrivateKey("4.4"), Array.Empty<X509Certificate>());
        return new TestCertificateDirectory(new[] { alice }, new RecordingCertificateValidator(new CertificateValidator(new[] { Certificate("3.1") }, Array.Empty<X509Certificate>(), Array.Empty<X509Crl>(), new RevocationSettings { Check = false })));
    }

    private X509Certificate Certificate(string section) => new X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(_pem[section]));

    private AsymmetricKeyParameter PrivateKey(string section)
    {
        using var reader = new StringReader(_pem[section]);
        return (AsymmetricKeyParameter)new PemReader(reader).ReadObject();
    }

    private void Run(params string[] arguments)
    {
        var result = ExternalTool.OpenSsl(_folder, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Every PEM block of the RFC by its section number, page headers and footers dropped.</summary>
    private static Dictionary<string, string> Extract(string[] lines)
    {
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = null;
        StringBuilder? block = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (block is null && raw.Length > 0 && char.IsDigit(raw[0]) && raw.Contains(".  ", StringComparison.Ordinal))
            {
                section = raw[..raw.IndexOf(".  ", StringComparison.Ordinal)];
            }
            else if (line.StartsWith("-----BEGIN ", StringComparison.Ordinal))
            {
                block = new StringBuilder(line).Append('\n');
            }
            else if (block is not null && line.StartsWith("-----END ", StringComparison.Ordinal))
            {
                blocks[section!] = block.Append(line).Append('\n').ToString();
                block = null;
            }
            else if (block is not null && line.Length > 0 && !line.Contains(' ', StringComparison.Ordinal) && !line.Contains('\f', StringComparison.Ordinal))
            {
                block.Append(line).Append('\n');
            }
        }

        Assert.True(blocks.Count >= 20, "expected the RFC's PEM blocks, found " + blocks.Count);
        return blocks;
    }
}
