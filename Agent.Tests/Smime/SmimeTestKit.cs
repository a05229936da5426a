using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Utilities.IO;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tests.Smime;

/// <summary>Runs transforms the way the pipeline does, and takes their output apart for assertions.</summary>
internal static class SmimeTestKit
{
    /// <summary>
    /// Applies <paramref name="transform"/> to <paramref name="message"/> (seekable source; a write-only destination,
    /// or with <paramref name="seekableDestination"/> a seekable one, as the pipeline's spool files are).
    /// </summary>
    public static byte[] Apply(IMessageTransform transform, byte[] message, bool seekableDestination = false)
    {
        using var source = new MemoryStream(message, writable: false);
        using var destination = new MemoryStream();
        transform.Apply(source, seekableDestination ? destination : new WriteOnlyStream(destination), CancellationToken.None);
        return destination.ToArray();
    }

    /// <summary>The header block of a message as text (up to the first empty line).</summary>
    public static string HeaderText(byte[] message)
    {
        var end = IndexOf(message, "\r\n\r\n"u8.ToArray());
        return Encoding.ASCII.GetString(message, 0, end < 0 ? message.Length : end + 2);
    }

    /// <summary>The body after the first empty line.</summary>
    public static byte[] Body(byte[] message)
    {
        var end = IndexOf(message, "\r\n\r\n"u8.ToArray());
        return message.Skip(end + 4).ToArray();
    }

    /// <summary>The DER/BER bytes of an application/pkcs7-mime message.</summary>
    public static byte[] Pkcs7(byte[] message) => Convert.FromBase64String(Encoding.ASCII.GetString(Body(message)));

    /// <summary>Decrypts an enveloped-data message with BouncyCastle, for the recipient with <paramref name="certificate"/>.</summary>
    public static byte[] Decrypt(byte[] message, X509Certificate certificate, AsymmetricKeyParameter key)
    {
        var parser = new CmsEnvelopedDataParser(Pkcs7(message));
        var recipient = parser.GetRecipientInfos().GetFirstRecipient(new RecipientID { Issuer = certificate.IssuerDN, SerialNumber = certificate.SerialNumber })
            ?? throw new InvalidOperationException("the certificate is not a recipient");
        using var content = recipient.GetContentStream(key).ContentStream;
        using var plain = new MemoryStream();
        content.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>The RecipientInfos of an enveloped-data message.</summary>
    public static IReadOnlyList<RecipientInformation> Recipients(byte[] message)
        => new CmsEnvelopedDataParser(Pkcs7(message)).GetRecipientInfos().GetRecipients().ToList();

    /// <summary>Splits a multipart/signed message into the exact signed bytes and the signature (DER).</summary>
    public static (byte[] Content, byte[] Signature) SplitDetached(byte[] message)
    {
        var header = HeaderText(message);
        var marker = "boundary=\"";
        var start = header.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var boundary = header.Substring(start, header.IndexOf('"', start) - start);
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary + "\r\n");
        var first = IndexOf(message, delimiter) + delimiter.Length;
        var second = IndexOf(message, Encoding.ASCII.GetBytes("\r\n--" + boundary + "\r\n"), first);
        var content = message.Skip(first).Take(second - first).ToArray();
        var signaturePart = message.Skip(second + 2 + delimiter.Length).ToArray();
        var signatureBody = Body(signaturePart);
        var close = IndexOf(signatureBody, Encoding.ASCII.GetBytes("--" + boundary + "--"));
        var signature = Convert.FromBase64String(Encoding.ASCII.GetString(signatureBody, 0, close));
        return (content, signature);
    }

    /// <summary>Verifies a detached signature with BouncyCastle (cryptographic check only; chain checks are openssl's job).</summary>
    public static SignerInformation VerifyDetached(byte[] content, byte[] signature)
    {
        var parser = new CmsSignedDataParser(new CmsTypedStream(new MemoryStream(content)), signature);
        Streams.Drain(parser.GetSignedContent().ContentStream);
        var certificates = parser.GetCertificates();
        var signer = parser.GetSignerInfos().GetSigners().Single();
        var certificate = certificates.EnumerateMatches(signer.SignerID).Single();
        if (!signer.Verify(certificate))
        {
            throw new InvalidOperationException("signature does not verify");
        }

        return signer;
    }

    public static int IndexOf(byte[] haystack, byte[] needle, int from = 0)
    {
        for (var i = from; i <= haystack.Length - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    match = false;
                    break;
                }
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Stands for Exchange's GetMimeWriteStream: write-only, cannot seek.</summary>
    internal sealed class WriteOnlyStream : Stream
    {
        private readonly Stream _inner;

        public WriteOnlyStream(Stream inner) => _inner = inner;

        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => _inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _inner.Write(buffer, offset, count);
            Written += count;
        }
    }
}
