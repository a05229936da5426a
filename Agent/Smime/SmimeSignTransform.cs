using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using MimeKit;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Signs the body entity of a message for its sender or the organisation (RFC 8551 §3.5), streaming. Clear:
/// multipart/signed (RFC 1847) over the entity as it is when it is already safe to sign (<see cref="SevenBitCleanEntity"/>),
/// else prepared to 7-bit first (RFC 8551 §3.1.3) through a temporary file; hashed and signed with the platform's
/// SHA-2 and RSA, the CMS structure written from the signer's precomputed DER (<see cref="SignerTemplate"/>). Opaque:
/// signed-data with the entity bytes encapsulated as they are (base64 as a whole, so 8bit content needs no
/// re-encoding), streamed by <see cref="SignedDataWriter"/> with the same platform hash and the same SignerInfo as a
/// clear signature. The top-level RFC 5322 fields stay outside, as with encryption. Signed attributes: contentType,
/// messageDigest, signingTime, SMIMECapabilities and CMSAlgorithmProtection (RFC 6211), as BouncyCastle's generator
/// wrote them before. The signer certificate and its chain are included (RFC 8550 §2.3).
/// </summary>
public sealed class SmimeSignTransform : IMessageTransform
{
    private static readonly byte[] OpaqueFields = OuterHeaderWriter.Pkcs7MimeFields("signed-data");

    /// <summary>The header of the signature part of a clear-signed message (RFC 8551 §3.5.3).</summary>
    private static readonly byte[] SignaturePartFields = OuterHeaderWriter.Fields(
        ("Content-Type", "application/pkcs7-signature; name=\"smime.p7s\""),
        ("Content-Transfer-Encoding", "base64"),
        ("Content-Disposition", "attachment; filename=\"smime.p7s\""));

    private readonly PrivateKeyEntry _signer;
    private readonly SignatureFormat _format;
    private readonly SignatureDigest _digest;
    private readonly SignaturePadding _padding;
    private readonly IAgentLog _log;
    private readonly TemporaryFileFactory _temporaryFiles;

    /// <summary>
    /// Signs with <paramref name="signer"/> (already validated for signing by the certificate directory); a clear
    /// signature's prepared entity is spooled through <paramref name="temporaryFiles"/> (default: memory, for callers without a runtime; the engine always passes the runtime's factory).
    /// </summary>
    public SmimeSignTransform(
        PrivateKeyEntry signer,
        SignatureFormat format = SignatureFormat.Clear,
        SignatureDigest digest = SignatureDigest.Sha256,
        SignaturePadding padding = SignaturePadding.Pkcs1,
        IAgentLog? log = null,
        TemporaryFileFactory? temporaryFiles = null)
    {
        _signer = Guard.NotNull(signer);
        if (!SmimeAlgorithms.IsRsa(signer.PrivateKey))
        {
            throw new NotSupportedException("Only RSA signing keys are supported: " + signer.Certificate.SubjectDN);
        }

        _format = format;
        _digest = digest;
        _padding = padding;
        _log = log ?? NullAgentLog.Instance;
        _temporaryFiles = temporaryFiles ?? TemporaryFileFactory.InMemory;
    }

    /// <inheritdoc />
    public string Name => "sign";

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Guard.NotNull(destination);
        try
        {
            source.Position = 0;
            var header = RawHeaderBlock.Read(source);
            if (_format == SignatureFormat.Clear)
            {
                WriteClearSigned(source, header, destination, cancellationToken);
            }
            else
            {
                WriteOpaqueSigned(source, header, destination, cancellationToken);
            }

            if (_log.IsEnabled(AgentEventLevel.Debug))
            {
                _log.Write(EventIds.MessageSigned, $"Signed ({_format}, {_digest}, {_padding}) with {CertificateNames.Describe(_signer.Certificate)}.");
            }
        }
        catch (Exception ex) when (ex is CmsException or IOException or InvalidOperationException or SecurityUtilityException
            or Org.BouncyCastle.Crypto.CryptoException or CryptographicException or FormatException or ParseException)
        {
            _log.Write(EventIds.MessageSignFailed, "S/MIME signing failed: " + ex.Message, ex);
            throw new MessageTransformException("S/MIME signing failed: " + ex.Message, ex);
        }
    }

    private void WriteOpaqueSigned(Stream source, RawHeaderBlock header, Stream destination, CancellationToken cancellationToken)
    {
        OuterHeaderWriter.WriteKeptFields(destination, header, null);
        destination.Write(OpaqueFields, 0, OpaqueFields.Length);

        var base64 = new Base64LineStream(destination);
        var template = Template;
        using (var signed = new SignedDataWriter(base64, template, SmimeAlgorithms.HashName(_digest)))
        {
            WriteEntityAsIs(source, header, signed.Content, cancellationToken);
            signed.Complete(digest => template.SignerInfos(digest, DateTime.UtcNow, _signer.PrivateKey));
        }

        base64.Complete();
    }

    private void WriteClearSigned(Stream source, RawHeaderBlock header, Stream destination, CancellationToken cancellationToken)
    {
        // An entity that is already safe to sign as it is (most mail: text in quoted-printable, attachments in
        // base64) is copied from the source; only one with 8bit or binary content is re-encoded through a spool file.
        if (SevenBitCleanEntity.IsCleanHeader(header))
        {
            if (destination.CanSeek)
            {
                // One pass: the body is checked while it is copied and digested. The rare entity that turns out not
                // to be clean is cut off again and re-encoded below (on a 100 MB message the separate check before
                // the copy was a fifth of signing it).
                var start = destination.Position;
                var signed = WriteMultipartSigned(destination, header, entity =>
                {
                    WriteEntityFields(header, entity);
                    return SevenBitCleanEntity.TryCopyCleanBody(source, header, entity, cancellationToken);
                });
                if (signed)
                {
                    return;
                }

                destination.SetLength(start);
                destination.Position = start;
            }
            else if (SevenBitCleanEntity.IsClean(source, header, cancellationToken))
            {
                WriteMultipartSigned(destination, header, entity =>
                {
                    WriteEntityAsIs(source, header, entity, cancellationToken);
                    return true;
                });
                return;
            }
        }

        using var prepared = _temporaryFiles.Create();
        SevenBitEntityWriter.Write(source, prepared, cancellationToken);
        WriteMultipartSigned(destination, header, entity =>
        {
            prepared.Position = 0;
            StreamCopy.Copy(prepared, entity, cancellationToken);
            return true;
        });
    }

    /// <summary>
    /// The multipart/signed message around the entity that <paramref name="writeEntity"/> writes; false, with the
    /// message written only up to that point, when it gives up.
    /// </summary>
    private bool WriteMultipartSigned(Stream destination, RawHeaderBlock header, Func<Stream, bool> writeEntity)
    {
        var boundary = NewBoundary();
        OuterHeaderWriter.WriteKeptFields(destination, header, null);
        OuterHeaderWriter.WriteField(destination, "MIME-Version", "1.0");
        OuterHeaderWriter.WriteField(destination, "Content-Type", "multipart/signed; protocol=\"application/pkcs7-signature\"; micalg="
            + SmimeAlgorithms.Micalg(_digest) + "; boundary=\"" + boundary + "\"");
        OuterHeaderWriter.WriteEnd(destination);
        WriteAscii(destination, "--" + boundary + "\r\n");

        // The signed bytes are exactly the first body part: everything up to, not including, the CRLF that
        // belongs to the next delimiter (RFC 2046 §5.1.1, RFC 1847 §2.1). They are digested as they are written.
        byte[] digest;
        using (var digesting = new DigestingStream(destination, SmimeAlgorithms.HashName(_digest)))
        {
            if (!writeEntity(digesting))
            {
                return false;
            }

            digest = digesting.GetDigest();
        }

        WriteAscii(destination, "\r\n--" + boundary + "\r\n");
        destination.Write(SignaturePartFields, 0, SignaturePartFields.Length);

        // The detached SignedData is small (no content): DER, which every reader (gpgsm included) parses.
        var der = Template.DetachedSignedData(digest, DateTime.UtcNow, _signer.PrivateKey);
        var base64 = new Base64LineStream(destination);
        base64.Write(der, 0, der.Length);
        base64.Complete();
        WriteAscii(destination, "--" + boundary + "--\r\n");
        return true;
    }

    /// <summary>The body entity as it is: its Content-* fields, the empty line, the body.</summary>
    private static void WriteEntityAsIs(Stream source, RawHeaderBlock header, Stream output, CancellationToken cancellationToken)
    {
        WriteEntityFields(header, output);
        source.Position = header.BodyOffset;
        StreamCopy.Copy(source, output, cancellationToken);
    }

    /// <summary>The body entity's Content-* fields and the empty line after them, as they are.</summary>
    private static void WriteEntityFields(RawHeaderBlock header, Stream output)
    {
        foreach (var field in header.Fields)
        {
            if (field.IsEntityField)
            {
                output.Write(field.Raw, 0, field.Raw.Length);
            }
        }

        output.Write(header.Separator, 0, header.Separator.Length);
    }

    /// <summary>The precomputed parts of this signer's SignerInfo, kept beside the loaded key entry.</summary>
    private SignerTemplate Template => SignerTemplate.For(_signer, _digest, _padding);

    private static string NewBoundary()
    {
        // "=_" cannot occur in base64 or quoted-printable text, and 128 random bits make a collision with 7-bit text
        // practically impossible (RFC 2046 §5.1.1).
        var random = new byte[16];
        SecureRandomBytes.Fill(random);
        return "=_eea_" + Hex.Upper(random);
    }

    private static void WriteAscii(Stream output, string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        output.Write(bytes, 0, bytes.Length);
    }
}
