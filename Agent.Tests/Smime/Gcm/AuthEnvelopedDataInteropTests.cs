using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Smime.Gcm;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime.Gcm;

[Collection(InboundPkiGroup.Name)]
public sealed class AuthEnvelopedDataInteropTests
{
    private readonly InboundTestPki _pki;

    public AuthEnvelopedDataInteropTests(InboundTestPki pki) => _pki = pki;

    [Theory]
    [InlineData("aes-128-gcm", false)]
    [InlineData("aes-256-gcm", false)]
    [InlineData("aes-128-gcm", true)]
    [InlineData("aes-256-gcm", true)]
    public void Reader_DecryptsWhatOpenSslEncrypts_ByteForByte(string cipher, bool oaep)
    {
        var entity = SmimeTestMessages.Entity();
        var message = SmimeTestMessages.OpenSslEncrypt(_pki, entity, cipher, oaep, "gateway.crt");
        Assert.Contains("smime-type=authEnveloped-data", SmimeTestMessages.Latin1.GetString(message), StringComparison.Ordinal);

        var result = Decrypt(message);

        Assert.Equal(CmsDecryptStatus.Decrypted, result.Status);
        Assert.Equal(cipher, result.Algorithm);
        using var plaintext = result.Plaintext!;
        Assert.Equal(entity, ReadAll(plaintext));
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaPkcs1)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, KeyTransportAlgorithm.RsaPkcs1)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaOaepSha256)]
    [InlineData(ContentEncryptionAlgorithm.Aes256Gcm, KeyTransportAlgorithm.RsaOaepSha256)]
    public void Generator_OutputIsDecryptedByOpenSsl_ByteForByte(ContentEncryptionAlgorithm algorithm, KeyTransportAlgorithm keyTransport)
    {
        var entity = SmimeTestMessages.Entity();
        var name = "gen-" + Guid.NewGuid().ToString("N");
        _pki.Write(name + ".der", Encrypt(entity, algorithm, keyTransport, _pki.Gateway.Certificate, _pki.Other.Certificate));

        SmimeTestMessages.OpenSsl(_pki, "cms", "-decrypt", "-binary", "-inform", "DER", "-in", name + ".der", "-recip", "other.crt", "-inkey", "other.key", "-out", name + ".out");

        Assert.Equal(entity, _pki.Read(name + ".out"));
        var dump = OpenSslRunner.ExternalToolRun(_pki, "cms", "-cmsout", "-print", "-inform", "DER", "-in", name + ".der");
        Assert.Contains(algorithm == ContentEncryptionAlgorithm.Aes128Gcm ? "aes-128-gcm" : "aes-256-gcm", dump, StringComparison.Ordinal);
        Assert.Contains(keyTransport == KeyTransportAlgorithm.RsaOaepSha256 ? "rsaesOaep" : "rsaEncryption", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void Generator_LargeContentRoundTripsThroughOpenSslAndOurReader()
    {
        // 3 MB of varied bytes crosses many BER chunks and GCM blocks.
        var random = new SecureRandom();
        var content = new byte[(3 * 1024 * 1024) + 17];
        random.NextBytes(content);
        var name = "large-" + Guid.NewGuid().ToString("N");
        var der = Encrypt(content, ContentEncryptionAlgorithm.Aes256Gcm, KeyTransportAlgorithm.RsaPkcs1, _pki.Gateway.Certificate);
        _pki.Write(name + ".der", der);

        SmimeTestMessages.OpenSsl(_pki, "cms", "-decrypt", "-binary", "-inform", "DER", "-in", name + ".der", "-recip", "gateway.crt", "-inkey", "gateway.key", "-out", name + ".out");
        Assert.Equal(content, _pki.Read(name + ".out"));

        var reader = new AuthEnvelopedDataReader(new[] { _pki.GatewayKey }, TemporaryFileFactory.InMemory);
        var result = reader.Decrypt(new CmsSource(() => new MemoryStream(der, writable: false), der.Length), default);
        Assert.Equal(CmsDecryptStatus.Decrypted, result.Status);
        using var plaintext = result.Plaintext!;
        Assert.Equal(content, ReadAll(plaintext));
    }

    [Fact]
    public void Generator_EachMessageGetsAFreshKeyAndNonce()
    {
        var entity = SmimeTestMessages.Entity();
        var first = Encrypt(entity, ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaPkcs1, _pki.Gateway.Certificate);
        var second = Encrypt(entity, ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaPkcs1, _pki.Gateway.Certificate);

        Assert.NotEqual(first, second);
        Assert.NotEqual(first[^16..], second[^16..]);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc)]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc)]
    public void Generator_RefusesNonGcmAlgorithms(ContentEncryptionAlgorithm algorithm)
    {
        using var output = new MemoryStream();
        Assert.Throws<ArgumentException>(() => AuthEnvelopedDataGenerator.Open(output, new[] { _pki.Gateway.Certificate }, algorithm, KeyTransportAlgorithm.RsaPkcs1));
    }

    [Fact]
    public void Generator_RefusesAnEmptyRecipientList()
    {
        using var output = new MemoryStream();
        Assert.Throws<ArgumentException>(() => AuthEnvelopedDataGenerator.Open(output, Array.Empty<X509Certificate>(), ContentEncryptionAlgorithm.Aes256Gcm, KeyTransportAlgorithm.RsaPkcs1));
    }

    [Theory]
    [InlineData("tag")]
    [InlineData("ciphertext")]
    public void Reader_RejectsACorruptedTagOrCiphertext_AndKeepsNoPlaintext(string where)
    {
        var entity = SmimeTestMessages.Entity();
        var der = Encrypt(entity, ContentEncryptionAlgorithm.Aes256Gcm, KeyTransportAlgorithm.RsaPkcs1, _pki.Gateway.Certificate);
        var der2 = (byte[])der.Clone();

        // Our BER ends with the 16-byte tag in an OCTET STRING, then three end-of-contents (6 bytes).
        var tagEnd = der2.Length - 6;
        Assert.Equal(new byte[6], der2[tagEnd..]);
        Assert.Equal(new byte[] { 0x04, 0x10 }, der2[(tagEnd - 18)..(tagEnd - 16)]);
        der2[where == "tag" ? tagEnd - 1 : tagEnd - 16 - 2 - 12] ^= 0x01;
        var directory = Path.Combine(_pki.Folder, "tmp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        var reader = new AuthEnvelopedDataReader(new[] { _pki.GatewayKey }, new TemporaryFileFactory(directory));
        var result = reader.Decrypt(new CmsSource(() => new MemoryStream(der2, writable: false), der2.Length), default);

        Assert.Equal(CmsDecryptStatus.Failed, result.Status);
        Assert.Null(result.Plaintext);
        Assert.Empty(Directory.GetFiles(directory));
    }

    internal static byte[] Encrypt(byte[] content, ContentEncryptionAlgorithm algorithm, KeyTransportAlgorithm keyTransport, params X509Certificate[] recipients)
    {
        using var output = new MemoryStream();
        using (var encrypting = AuthEnvelopedDataGenerator.Open(output, recipients, algorithm, keyTransport))
        {
            // Odd write sizes on purpose.
            for (var offset = 0; offset < content.Length; offset += 70_001)
            {
                encrypting.Write(content, offset, Math.Min(70_001, content.Length - offset));
            }
        }

        return output.ToArray();
    }

    private CmsDecryptResult Decrypt(byte[] message)
    {
        var der = Convert.FromBase64String(SmimeTestMessages.Latin1.GetString(SmimeTestMessages.Body(message)).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
        var reader = new AuthEnvelopedDataReader(new[] { _pki.GatewayKey }, TemporaryFileFactory.InMemory);
        return reader.Decrypt(new CmsSource(() => new MemoryStream(der, writable: false), der.Length), default);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

internal static class OpenSslRunner
{
    public static string ExternalToolRun(InboundTestPki pki, params string[] arguments)
    {
        var result = ExchangeEncryptionAgent.Tests.Support.ExternalTool.OpenSsl(pki.Folder, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }

    public static string ExternalToolRunIn(string folder, params string[] arguments)
    {
        var result = ExchangeEncryptionAgent.Tests.Support.ExternalTool.OpenSsl(folder, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }
}
