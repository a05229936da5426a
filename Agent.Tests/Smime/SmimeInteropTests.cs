using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Tests.Support;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>
/// Our output against the real tools: openssl 3 and gpgsm 2.2 must decrypt every envelope to the original entity byte
/// for byte and verify every signature (smime-notes §4). A missing tool fails the test.
/// </summary>
public sealed class SmimeInteropTests : IClassFixture<GpgsmHome>, IDisposable
{
    private static readonly TestPki Pki = TestPki.Shared;
    private readonly GpgsmHome _gpgsm;
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-interop-").FullName;

    public SmimeInteropTests(GpgsmHome gpgsm) => _gpgsm = gpgsm;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, "aes-256-cbc")]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, "aes-128-cbc")]
    public void Encrypted_DecryptsWithOpenSslAndGpgsm_ToTheOriginalEntity(ContentEncryptionAlgorithm algorithm, string expectedCipher)
    {
        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, algorithm), SampleMessages.Mixed);
        var file = Save("enc.eml", output);

        Assert.Equal(SampleMessages.MixedEntity, OpenSslDecrypt(file, "alice"));
        Assert.Equal(SampleMessages.MixedEntity, GpgsmDecrypt(file));

        var printed = OpenSsl("cms", "-cmsout", "-print", "-inform", "SMIME", "-in", file).StandardOutput;
        Assert.Contains(expectedCipher, printed, StringComparison.Ordinal);
        Assert.DoesNotContain("des-ede3", printed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("rc2", printed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GatewayEnvelope_WithRecovery_DecryptsForEachRecipientWithOpenSsl()
    {
        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Gateway.Certificate, Pki.Recovery.Certificate }), SampleMessages.Mixed);
        var file = Save("gw.eml", output);

        Assert.Equal(SampleMessages.MixedEntity, OpenSslDecrypt(file, "gateway"));
        Assert.Equal(SampleMessages.MixedEntity, OpenSslDecrypt(file, "recovery"));
        Assert.Equal(SampleMessages.MixedEntity, GpgsmDecrypt(file));
        var printed = OpenSsl("cms", "-cmsout", "-print", "-inform", "SMIME", "-in", file).StandardOutput;
        Assert.Equal(2, printed.Split("d.ktri:").Length - 1);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, KeyTransportAlgorithm.RsaPkcs1, "aes-256-gcm")]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaOaepSha256, "aes-128-gcm")]
    public void GcmEnvelope_IsAuthEnvelopedData_ThatOpenSslDecryptsToTheOriginalEntity(
        ContentEncryptionAlgorithm algorithm, KeyTransportAlgorithm keyTransport, string expectedCipher)
    {
        var output = SmimeTestKit.Apply(
            new SmimeEncryptTransform(new[] { Pki.Gateway.Certificate, Pki.Recovery.Certificate }, algorithm, keyTransport), SampleMessages.Mixed);
        var file = Save("gcm.eml", output);

        Assert.Contains("smime-type=authEnveloped-data", SmimeTestKit.HeaderText(output), StringComparison.Ordinal);
        Assert.Equal(SampleMessages.MixedEntity, OpenSslDecrypt(file, "gateway"));
        Assert.Equal(SampleMessages.MixedEntity, OpenSslDecrypt(file, "recovery"));
        var printed = OpenSsl("cms", "-cmsout", "-print", "-inform", "SMIME", "-in", file).StandardOutput;
        Assert.Contains(expectedCipher, printed, StringComparison.Ordinal);
    }

    [Fact]
    public void OaepEnvelope_DecryptsWithOpenSsl()
    {
        var output = SmimeTestKit.Apply(
            new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, keyTransport: KeyTransportAlgorithm.RsaOaepSha256), SampleMessages.Mixed);
        var file = Save("oaep.eml", output);

        Assert.Equal(SampleMessages.MixedEntity, OpenSslDecrypt(file, "alice"));
        var printed = OpenSsl("cms", "-cmsout", "-print", "-inform", "SMIME", "-in", file).StandardOutput;
        Assert.Contains("rsaesOaep", printed, StringComparison.Ordinal);
        Assert.Contains("sha256", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderProtectedEnvelope_DecryptsToTheWholeOriginalMessage()
    {
        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, headerProtection: true), SampleMessages.Mixed);
        var file = Save("hp.eml", output);

        var expected = Encoding.ASCII.GetBytes("Content-Type: message/rfc822\r\n\r\n").Concat(SampleMessages.Mixed).ToArray();
        Assert.Equal(expected, OpenSslDecrypt(file, "alice"));
        Assert.Equal(expected, GpgsmDecrypt(file));
    }

    [Theory]
    [InlineData(SignatureDigest.Sha256, SignaturePadding.Pkcs1)]
    [InlineData(SignatureDigest.Sha512, SignaturePadding.Pkcs1)]
    [InlineData(SignatureDigest.Sha256, SignaturePadding.Pss)]
    [InlineData(SignatureDigest.Sha512, SignaturePadding.Pss)]
    public void ClearSigned_VerifiesWithOpenSslAndGpgsm(SignatureDigest digest, SignaturePadding padding)
    {
        var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry, SignatureFormat.Clear, digest, padding), SampleMessages.Mixed);
        var file = Save("signed.eml", output);

        var header = SmimeTestKit.HeaderText(output);
        Assert.Contains("micalg=" + (digest == SignatureDigest.Sha256 ? "sha-256" : "sha-512"), header, StringComparison.Ordinal);
        Assert.Contains("protocol=\"application/pkcs7-signature\"", header, StringComparison.Ordinal);
        Assert.StartsWith(SampleMessages.OuterHeaders, header, StringComparison.Ordinal);

        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", file, "-CAfile", Pki.PathOf("ca.crt"), "-out", Path.Combine(_directory, "content.mime"));
        Assert.True(verified.ExitCode == 0, verified.ToString());

        var (content, signature) = SmimeTestKit.SplitDetached(output);
        Assert.True(content.All(b => b < 128), "the signed entity must be 7-bit");
        File.WriteAllBytes(Path.Combine(_directory, "content.bin"), content);
        File.WriteAllBytes(Path.Combine(_directory, "sig.der"), signature);
        var gpgsm = _gpgsm.Run(null, "--verify", Path.Combine(_directory, "sig.der"), Path.Combine(_directory, "content.bin"));
        Assert.True(gpgsm.ExitCode == 0 && gpgsm.StandardOutput.Contains("[GNUPG:] GOODSIG", StringComparison.Ordinal)
            && gpgsm.StandardOutput.Contains("[GNUPG:] VALIDSIG", StringComparison.Ordinal), gpgsm.ToString());

        var printed = OpenSsl("cms", "-cmsout", "-print", "-inform", "DER", "-in", Path.Combine(_directory, "sig.der")).StandardOutput;
        Assert.Contains("S/MIME Capabilities", printed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("aes-256-cbc", printed, StringComparison.Ordinal);
        Assert.Contains("signingTime", printed, StringComparison.Ordinal);
        if (padding == SignaturePadding.Pss)
        {
            Assert.Contains("rsassaPss", printed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ClearSigned_SevenBitEntity_IsSignedByteForByte_AndVerifiesWithOpenSslAndGpgsm()
    {
        // Quoted-printable text and a base64 attachment: nothing for the re-encoding to change, so the entity is signed
        // as it lies in the message (the fast path), and both tools still verify it.
        var entity = "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" + SampleMessages.Body
            .Replace("Content-Transfer-Encoding: 8bit", "Content-Transfer-Encoding: quoted-printable", StringComparison.Ordinal)
            .Replace("Gr\u00fc\u00dfe aus K\u00f6ln \u2013", "Gr=C3=BC=C3=9Fe aus K=C3=B6ln =E2=80=93", StringComparison.Ordinal)
            .Replace("From the desk", "=46rom the desk", StringComparison.Ordinal);
        var message = Encoding.ASCII.GetBytes(SampleMessages.OuterHeaders + "MIME-Version: 1.0\r\n" + entity);

        var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), message);

        var (content, signature) = SmimeTestKit.SplitDetached(output);
        Assert.Equal(Encoding.ASCII.GetBytes(entity), content);
        AssertVerifies(output, content, signature);
    }

    [Theory]
    [InlineData("Content-Transfer-Encoding: 8bit", "The numbers are attached.", false)]
    [InlineData("Content-Transfer-Encoding: binary", "The numbers are attached.", false)]
    [InlineData("Content-Transfer-Encoding: 7bit", "The numbers are attached.   ", false)]
    [InlineData("Content-Transfer-Encoding: 7bit", "The numbers are attached.\r\nFrom Carol", false)]
    [InlineData("Content-Transfer-Encoding: 7bit", "The numbers are attached.\nBare line feed", false)]
    [InlineData("Content-Transfer-Encoding: 7bit", "The numbers are attached.   ", true)]
    [InlineData("Content-Transfer-Encoding: 7bit", "The numbers are attached.\r\nFrom Carol", true)]
    [InlineData("Content-Transfer-Encoding: 7bit", "The numbers are attached.\nBare line feed", true)]
    public void ClearSigned_EntityARelayCouldChange_IsReEncoded_AndVerifiesWithOpenSslAndGpgsm(string encodingField, string text, bool seekableDestination)
    {
        // 7-bit bytes under an 8bit/binary label, trailing spaces, a "From " line, a bare LF: each is something a relay
        // may rewrite, so the entity must go through the re-encoding (not be signed as it is), and still verify.
        var body = SampleMessages.Body
            .Replace("From the desk of Carol", "Regards, Carol", StringComparison.Ordinal)
            .Replace("Content-Transfer-Encoding: 8bit", encodingField, StringComparison.Ordinal)
            .Replace("Gr\u00fc\u00dfe aus K\u00f6ln \u2013 the numbers are attached.", text, StringComparison.Ordinal);
        var entity = "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" + body;
        var message = Encoding.ASCII.GetBytes(SampleMessages.OuterHeaders + "MIME-Version: 1.0\r\n" + entity);

        var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), message, seekableDestination);

        var (content, signature) = SmimeTestKit.SplitDetached(output);
        Assert.NotEqual(Encoding.ASCII.GetBytes(entity), content);
        var signedText = Encoding.ASCII.GetString(content);
        Assert.DoesNotContain("Content-Transfer-Encoding: 8bit", signedText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Content-Transfer-Encoding: binary", signedText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\r\nFrom ", signedText, StringComparison.Ordinal);
        Assert.DoesNotContain(" \r\n", signedText, StringComparison.Ordinal);
        AssertVerifies(output, content, signature);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClearSigned_IntoASpoolFile_LargeEntity_IsSignedAsItIsOrReEncodedAfterAFlawPastTheFirstBlocks(bool flawed)
    {
        // The pipeline's destination is a seekable spool file: the body is checked while it is copied and digested, and
        // an entity found unclean only after 300 KB of clean lines is cut off again and re-encoded. The result must be
        // one multipart/signed (nothing of the abandoned copy left before or inside it) that both tools verify.
        var attachment = new StringBuilder();
        var line = new string('Q', 76) + "\r\n";
        for (var i = 0; i < 4000; i++)
        {
            attachment.Append(line);
        }

        var text = flawed ? "Regards, Carol \r\n" : "Regards, Carol\r\n";
        var entity = "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + attachment + "--b1\r\nContent-Type: text/plain\r\n\r\n" + text + "--b1--\r\n";
        var message = Encoding.ASCII.GetBytes(SampleMessages.OuterHeaders + "MIME-Version: 1.0\r\n" + entity);

        var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), message, seekableDestination: true);

        var (content, signature) = SmimeTestKit.SplitDetached(output);
        if (flawed)
        {
            Assert.NotEqual(Encoding.ASCII.GetBytes(entity), content);
            Assert.DoesNotContain(" \r\n", Encoding.ASCII.GetString(content), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(Encoding.ASCII.GetBytes(entity), content);
        }

        var outputText = Encoding.ASCII.GetString(output);
        Assert.StartsWith(SampleMessages.OuterHeaders, outputText, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(outputText, "Content-Type: multipart/signed"));
        Assert.Equal(1, CountOf(outputText, "Content-Type: application/pkcs7-signature"));
        Assert.Equal(1, CountOf(outputText, "Content-Type: application/octet-stream"));
        AssertVerifies(output, content, signature);
    }

    [Fact]
    public void ClearSigned_WithAKeyWithoutCrtParameters_VerifiesWithOpenSslAndGpgsm()
    {
        // The platform's RSA takes CRT keys only; any other RSA key signs with BouncyCastle's, over the same platform digest.
        var crt = (RsaPrivateCrtKeyParameters)Pki.SignerEntry.PrivateKey;
        var signer = new PrivateKeyEntry(Pki.SignerEntry.Name, Pki.SignerEntry.Certificate, new RsaKeyParameters(true, crt.Modulus, crt.Exponent), Pki.SignerEntry.Chain);

        var output = SmimeTestKit.Apply(new SmimeSignTransform(signer), SampleMessages.Mixed);

        var (content, signature) = SmimeTestKit.SplitDetached(output);
        AssertVerifies(output, content, signature);
    }

    [Fact]
    public void ClearSigned_TamperedContent_FailsWithOpenSslAndGpgsm()
    {
        var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), SampleMessages.Mixed);
        var text = Encoding.ASCII.GetString(output).Replace("numbers.bin", "numbers.exe", StringComparison.Ordinal);
        var file = Save("tampered.eml", Encoding.ASCII.GetBytes(text));

        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", file, "-CAfile", Pki.PathOf("ca.crt"), "-out", "/dev/null");
        Assert.NotEqual(0, verified.ExitCode);

        var (content, signature) = SmimeTestKit.SplitDetached(Encoding.ASCII.GetBytes(text));
        File.WriteAllBytes(Path.Combine(_directory, "content.bin"), content);
        File.WriteAllBytes(Path.Combine(_directory, "sig.der"), signature);
        var gpgsm = _gpgsm.Run(null, "--verify", Path.Combine(_directory, "sig.der"), Path.Combine(_directory, "content.bin"));
        Assert.DoesNotContain("[GNUPG:] GOODSIG", gpgsm.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignaturePadding.Pkcs1)]
    [InlineData(SignaturePadding.Pss)]
    public void OpaqueSigned_VerifiesWithOpenSslAndGpgsm_AndCarriesTheEntity(SignaturePadding padding)
    {
        var output = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry, SignatureFormat.Opaque, SignatureDigest.Sha256, padding), SampleMessages.Mixed);
        var file = Save("opaque.eml", output);
        Assert.Contains("smime-type=signed-data", SmimeTestKit.HeaderText(output), StringComparison.Ordinal);

        var contentFile = Path.Combine(_directory, "opaque-content.mime");
        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", file, "-CAfile", Pki.PathOf("ca.crt"), "-out", contentFile);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(SampleMessages.MixedEntity, File.ReadAllBytes(contentFile));

        var der = ToDer(file, "opaque.der");
        var gpgsmContent = Path.Combine(_directory, "opaque-gpgsm.mime");
        var gpgsm = _gpgsm.Run(null, "--output", gpgsmContent, "--verify", der);
        Assert.True(gpgsm.ExitCode == 0 && gpgsm.StandardOutput.Contains("[GNUPG:] GOODSIG", StringComparison.Ordinal), gpgsm.ToString());
        Assert.Equal(SampleMessages.MixedEntity, File.ReadAllBytes(gpgsmContent));
    }

    [Fact]
    public void SignThenEncrypt_DecryptsAndTheInnerSignatureVerifies()
    {
        var signed = SmimeTestKit.Apply(new SmimeSignTransform(Pki.SignerEntry), SampleMessages.Mixed);
        var encrypted = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }), signed);
        var file = Save("signed-encrypted.eml", encrypted);

        // The decrypted entity is the multipart/signed entity of the signed message, byte for byte.
        var signedEntityStart = SmimeTestKit.IndexOf(signed, "Content-Type: multipart/signed"u8.ToArray());
        var expected = signed.Skip(signedEntityStart).ToArray();
        var decrypted = OpenSslDecrypt(file, "alice");
        Assert.Equal(expected, decrypted);
        Assert.Equal(expected, GpgsmDecrypt(file));

        var inner = Save("inner.eml", decrypted);
        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", inner, "-CAfile", Pki.PathOf("ca.crt"), "-out", "/dev/null");
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    [Fact]
    public void AlreadySignedByOpenSsl_IsEncryptedAsItIs_AndStillVerifies()
    {
        File.WriteAllBytes(Path.Combine(_directory, "body.mime"), SampleMessages.MixedEntity);
        var signedByOpenSsl = OpenSsl("cms", "-sign", "-binary", "-in", "body.mime", "-signer", Pki.PathOf("signer.crt"), "-inkey", Pki.PathOf("signer.key"),
            "-certfile", Pki.PathOf("intermediate.crt"), "-md", "sha256", "-outform", "SMIME", "-from", "carol@contoso.example", "-to", "alice@fabrikam.example", "-subject", "signed elsewhere", "-out", "signed.eml");
        Assert.True(signedByOpenSsl.ExitCode == 0, signedByOpenSsl.ToString());
        var signed = File.ReadAllBytes(Path.Combine(_directory, "signed.eml"));

        var encrypted = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }), signed);
        var decrypted = Save("decrypted.eml", OpenSslDecrypt(Save("enc.eml", encrypted), "alice"));

        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", decrypted, "-CAfile", Pki.PathOf("ca.crt"), "-out", "/dev/null");
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void AssertVerifies(byte[] output, byte[] content, byte[] signature)
    {
        var verified = OpenSsl("cms", "-verify", "-purpose", "smimesign", "-inform", "SMIME", "-in", Save("signed.eml", output), "-CAfile", Pki.PathOf("ca.crt"), "-out", "/dev/null");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.True(content.All(b => b < 128), "the signed entity must be 7-bit");
        File.WriteAllBytes(Path.Combine(_directory, "content.bin"), content);
        File.WriteAllBytes(Path.Combine(_directory, "sig.der"), signature);
        var gpgsm = _gpgsm.Run(null, "--verify", Path.Combine(_directory, "sig.der"), Path.Combine(_directory, "content.bin"));
        Assert.True(gpgsm.ExitCode == 0 && gpgsm.StandardOutput.Contains("[GNUPG:] GOODSIG", StringComparison.Ordinal), gpgsm.ToString());
    }

    private byte[] OpenSslDecrypt(string file, string name)
    {
        var output = Path.Combine(_directory, name + ".dec");
        var result = OpenSsl("cms", "-decrypt", "-inform", "SMIME", "-in", file, "-recip", Pki.PathOf(name + ".crt"), "-inkey", Pki.PathOf(name + ".key"), "-out", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        return File.ReadAllBytes(output);
    }

    private byte[] GpgsmDecrypt(string file)
    {
        // gpgsm 2.2 cannot parse BER EnvelopedData: re-encode as DER first (smime-notes §0 #8).
        var der = ToDer(file, Path.GetFileNameWithoutExtension(file) + ".der");
        var output = Path.Combine(_directory, "gpgsm.dec");
        File.Delete(output);
        var result = _gpgsm.Decrypt(der, output);
        Assert.True(result.ExitCode == 0, result.ToString());
        return File.ReadAllBytes(output);
    }

    private string ToDer(string smimeFile, string derName)
    {
        var der = Path.Combine(_directory, derName);
        var result = OpenSsl("cms", "-cmsout", "-inform", "SMIME", "-in", smimeFile, "-outform", "DER", "-out", der);
        Assert.True(result.ExitCode == 0, result.ToString());
        return der;
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private ExternalTool.Result OpenSsl(params string[] arguments) => ExternalTool.OpenSsl(_directory, arguments);
}
