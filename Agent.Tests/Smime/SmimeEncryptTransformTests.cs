using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using Org.BouncyCastle.Asn1;
using CmsAsn1 = Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime;

public sealed class SmimeEncryptTransformTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public void Encrypt_KeepsRfc5322FieldsOutside_AndEncryptsTheEntityByteForByte()
    {
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate });

        var output = SmimeTestKit.Apply(transform, SampleMessages.Mixed);

        var header = SmimeTestKit.HeaderText(output);
        Assert.StartsWith(SampleMessages.OuterHeaders + "MIME-Version: 1.0\r\n", header, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n", header, StringComparison.Ordinal);
        Assert.Single(header.Split("MIME-Version", StringSplitOptions.None).Skip(1));
        Assert.DoesNotContain("multipart/mixed", header, StringComparison.Ordinal);
        Assert.Equal(SampleMessages.MixedEntity, SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private));
    }

    [Fact]
    public void Encrypt_WritesBase64In76ColumnCrlfLines()
    {
        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }), SampleMessages.Mixed);

        var lines = Encoding.ASCII.GetString(SmimeTestKit.Body(output)).Split("\r\n");
        Assert.Equal(string.Empty, lines[^1]);
        Assert.All(lines[..^2], line => Assert.Equal(76, line.Length));
        Assert.InRange(lines[^2].Length, 1, 76);
        Assert.DoesNotContain('\n', string.Concat(lines));
    }

    [Fact]
    public void Envelope_HoldsExactlyTheGivenCertificates_RecoveryIsAnExtraRecipientInfo()
    {
        var recipients = new[] { Pki.Alice.Certificate, Pki.Bob.Certificate, Pki.Recovery.Certificate };

        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(recipients), SampleMessages.Mixed);

        var infos = SmimeTestKit.Recipients(output);
        Assert.Equal(3, infos.Count);
        Assert.Equal(
            recipients.Select(c => c.SerialNumber).OrderBy(s => s),
            infos.Select(i => i.RecipientID.SerialNumber).OrderBy(s => s));
        Assert.Equal(SampleMessages.MixedEntity, SmimeTestKit.Decrypt(output, Pki.Recovery.Certificate, Pki.Recovery.KeyPair.Private));
    }

    [Fact]
    public void Envelope_ForOneRecipient_DoesNotExposeOthers()
    {
        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Bob.Certificate }), SampleMessages.Mixed);

        var info = Assert.Single(SmimeTestKit.Recipients(output));
        Assert.Equal(Pki.Bob.Certificate.SerialNumber, info.RecipientID.SerialNumber);
    }

    [Theory]
    [InlineData(ContentEncryptionAlgorithm.Aes256Cbc, "2.16.840.1.101.3.4.1.42")]
    [InlineData(ContentEncryptionAlgorithm.Aes128Cbc, "2.16.840.1.101.3.4.1.2")]
    public void Encrypt_UsesTheConfiguredAes(ContentEncryptionAlgorithm algorithm, string oid)
    {
        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, algorithm), SampleMessages.Mixed);

        var parser = new Org.BouncyCastle.Cms.CmsEnvelopedDataParser(SmimeTestKit.Pkcs7(output));
        Assert.Equal(oid, parser.EncryptionAlgOid);
    }

    [Fact]
    public void Oaep_WritesRsaesOaepWithSha256AndMgf1Sha256()
    {
        var output = SmimeTestKit.Apply(
            new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, keyTransport: KeyTransportAlgorithm.RsaOaepSha256), SampleMessages.Mixed);

        var info = Assert.Single(SmimeTestKit.Recipients(output));
        Assert.Equal(PkcsObjectIdentifiers.IdRsaesOaep.Id, info.KeyEncryptionAlgOid);
        var parameters = RsaesOaepParameters.GetInstance(info.KeyEncryptionAlgorithmID.Parameters);
        Assert.Equal("2.16.840.1.101.3.4.2.1", parameters.HashAlgorithm.Algorithm.Id);
        Assert.Equal("2.16.840.1.101.3.4.2.1", Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier.GetInstance(parameters.MaskGenAlgorithm.Parameters).Algorithm.Id);
        Assert.Equal(SampleMessages.MixedEntity, SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private));
    }

    [Fact]
    public void RecipientInfos_AreWhatBouncyCastlesGeneratorWrote_InADerSet_EachKeyTransportItsOwn()
    {
        // The RecipientInfos are written from DER made once per certificate (PlatformKeyWrapper); identifiers and
        // algorithm parameters must stay those of BouncyCastle's KeyTransRecipientInfoGenerator, and the set DER.
        var recipients = new[]
        {
            new SmimeRecipient(Pki.Alice.Certificate, KeyTransportAlgorithm.RsaOaepSha256),
            new SmimeRecipient(Pki.Bob.Certificate),
            new SmimeRecipient(Pki.Recovery.Certificate),
        };

        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(recipients, ContentEncryptionAlgorithm.Aes256Cbc, false, "Encrypted message"), SampleMessages.Mixed);

        var envelope = CmsAsn1.EnvelopedData.GetInstance(CmsAsn1.ContentInfo.GetInstance(Asn1Object.FromByteArray(SmimeTestKit.Pkcs7(output))).Content);
        Assert.Equal(0, envelope.Version.IntValueExact);
        var written = envelope.RecipientInfos.Cast<Asn1Encodable>().Select(r => r.GetEncoded(Asn1Encodable.Der)).ToList();
        Assert.Equal(written.OrderBy(e => e, Comparer<byte[]>.Create(Der.CompareEncodings)), written);
        foreach (var recipient in recipients)
        {
            var ours = envelope.RecipientInfos.Cast<Asn1Encodable>().Select(r => CmsAsn1.KeyTransRecipientInfo.GetInstance(CmsAsn1.RecipientInfo.GetInstance(r).Info))
                .Single(k => CmsAsn1.IssuerAndSerialNumber.GetInstance(k.RecipientIdentifier.ID).SerialNumber.Value.Equals(recipient.Certificate.SerialNumber));
            var wrapper = recipient.KeyTransport == KeyTransportAlgorithm.RsaOaepSha256
                ? new Asn1KeyWrapper("RSA/NONE/OAEPWITHSHA256ANDMGF1PADDING", recipient.Certificate)
                : new Asn1KeyWrapper(PkcsObjectIdentifiers.RsaEncryption, recipient.Certificate);
            var reference = CmsAsn1.KeyTransRecipientInfo.GetInstance(CmsAsn1.RecipientInfo.GetInstance(
                new KeyTransRecipientInfoGenerator(recipient.Certificate, wrapper).Generate(new KeyParameter(new byte[32]), new SecureRandom())).Info);
            Assert.Equal(reference.Version.IntValueExact, ours.Version.IntValueExact);
            Assert.Equal(reference.RecipientIdentifier.GetEncoded(Asn1Encodable.Der), ours.RecipientIdentifier.GetEncoded(Asn1Encodable.Der));
            Assert.Equal(reference.KeyEncryptionAlgorithm.GetEncoded(Asn1Encodable.Der), ours.KeyEncryptionAlgorithm.GetEncoded(Asn1Encodable.Der));
        }

        Assert.Equal(SampleMessages.MixedEntity, SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private));
        Assert.Equal(SampleMessages.MixedEntity, SmimeTestKit.Decrypt(output, Pki.Bob.Certificate, Pki.Bob.KeyPair.Private));
    }

    [Fact]
    public void HeaderProtection_WrapsTheWholeMessage_AndReplacesTheOuterSubject()
    {
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, headerProtection: true, subjectPlaceholder: "Encrypted message");

        var output = SmimeTestKit.Apply(transform, SampleMessages.Mixed);

        var header = SmimeTestKit.HeaderText(output);
        Assert.Contains("Subject: Encrypted message\r\n", header, StringComparison.Ordinal);
        Assert.DoesNotContain("Quarterly", header, StringComparison.Ordinal);
        Assert.Contains("From: Carol <carol@contoso.example>\r\n", header, StringComparison.Ordinal);
        var inner = SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private);
        Assert.Equal(Encoding.ASCII.GetBytes("Content-Type: message/rfc822\r\n\r\n").Concat(SampleMessages.Mixed).ToArray(), inner);
    }

    [Fact]
    public void HeaderProtection_EncodesANonAsciiPlaceholder()
    {
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, headerProtection: true, subjectPlaceholder: "Verschl\u00fcsselte Nachricht");

        var header = SmimeTestKit.HeaderText(SmimeTestKit.Apply(transform, SampleMessages.Mixed));

        Assert.Contains("Subject: =?utf-8?", header, StringComparison.OrdinalIgnoreCase);
        Assert.True(header.All(c => c < 128));
    }

    [Fact]
    public void Gcm_WithMixedKeyTransports_IsRefused()
    {
        var recipients = new[]
        {
            new SmimeRecipient(Pki.Alice.Certificate, KeyTransportAlgorithm.RsaPkcs1),
            new SmimeRecipient(Pki.Gateway.Certificate, KeyTransportAlgorithm.RsaOaepSha256),
        };

        Assert.Throws<ArgumentException>(() => new SmimeEncryptTransform(recipients, ContentEncryptionAlgorithm.Aes256Gcm, false, "x"));
    }

    [Fact]
    public void SigningOnlyCertificate_IsRefusedByTheTransformToo()
    {
        var error = Assert.Throws<ArgumentException>(() => new SmimeEncryptTransform(new[] { Pki.Alice.Certificate, Pki.Signer.Certificate }));

        Assert.Contains("not for encryption", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderProtection_PlaceholderCannotInjectHeaders()
    {
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }, headerProtection: true, subjectPlaceholder: "x\r\nBcc: mallory@evil.example");

        var header = SmimeTestKit.HeaderText(SmimeTestKit.Apply(transform, SampleMessages.Mixed));

        Assert.DoesNotContain("\r\nBcc:", header, StringComparison.Ordinal);
    }

    [Fact]
    public void NoRecipients_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new SmimeEncryptTransform(Array.Empty<X509Certificate>()));
    }

    [Fact]
    public void MessageWithoutMimeHeaders_EncryptsAnEntityWithAnEmptyHeader()
    {
        var message = Encoding.ASCII.GetBytes("From: a@contoso.example\r\nSubject: plain\r\n\r\nhello\r\n");

        var output = SmimeTestKit.Apply(new SmimeEncryptTransform(new[] { Pki.Alice.Certificate }), message);

        Assert.Equal(Encoding.ASCII.GetBytes("\r\nhello\r\n"), SmimeTestKit.Decrypt(output, Pki.Alice.Certificate, Pki.Alice.KeyPair.Private));
    }

    [Fact]
    public void LargeMessage_StreamsInBoundedMemory()
    {
        const long size = 24L * 1024 * 1024;
        using var source = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose);
        var head = Encoding.ASCII.GetBytes("From: a@contoso.example\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        source.Write(head);
        var line = Encoding.ASCII.GetBytes(new string('Q', 76) + "\r\n");
        for (long written = 0; written < size; written += line.Length)
        {
            source.Write(line);
        }

        source.Position = 0;
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate });
        var sink = new SmimeTestKit.WriteOnlyStream(Stream.Null);
        transform.Apply(source, sink, CancellationToken.None); // warm-up: JIT and static tables
        source.Position = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();

        transform.Apply(source, sink, CancellationToken.None);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes for a {size} byte message");
        Assert.True(sink.Written > size * 4 / 3);
    }

    [Fact]
    public void Cancellation_StopsTheTransform()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate });
        using var source = new MemoryStream(SampleMessages.Mixed);

        Assert.ThrowsAny<OperationCanceledException>(() => transform.Apply(source, new MemoryStream(), cancelled.Token));
    }

    [Fact]
    public void Transform_IsAnIMessageTransformNamedEncrypt()
    {
        var transform = new SmimeEncryptTransform(new[] { Pki.Alice.Certificate });
        Assert.IsAssignableFrom<IMessageTransform>(transform);
        Assert.Equal("encrypt", transform.Name);
    }
}
