using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Content.RawMime;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Smime.Gcm;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// S/MIME gateway encryption (RFC 8551 §3.3): the top-level RFC 5322 fields stay outside; the body entity (its
/// Content-* fields and the raw body bytes, byte for byte, so an inner multipart/signed still verifies) is
/// encrypted into CMS EnvelopedData (RFC 5652 §6) by the streaming <see cref="EnvelopedDataWriter"/> and written as
/// application/pkcs7-mime; smime-type=enveloped-data in base64. With header protection (RFC 8551 §3.1) the whole
/// original message goes inside as message/rfc822, and outside stay only the fields transport needs and a placeholder
/// Subject (<see cref="OuterHeaderWriter"/>). Bcc is never outside, and inside only in a blind recipient's own copy.
/// Streams end to end: nothing is buffered but the header block.
/// </summary>
public sealed class SmimeEncryptTransform : IMessageTransform
{
    /// <summary>RFC 5652 enveloped-data, and RFC 5083 authEnveloped-data for AES-GCM (only for partners known to read it).</summary>
    private static readonly byte[] EnvelopedFields = OuterHeaderWriter.Pkcs7MimeFields("enveloped-data");

    private static readonly byte[] AuthEnvelopedFields = OuterHeaderWriter.Pkcs7MimeFields(AuthEnvelopedDataGenerator.SmimeType);

    private readonly IReadOnlyList<SmimeRecipient> _recipients;
    private readonly ContentEncryptionAlgorithm _contentEncryption;
    private readonly bool _headerProtection;
    private readonly string _subjectPlaceholder;
    private readonly IAgentLog _log;
    private readonly string? _bccRecipient;

    /// <summary>
    /// Encrypts to exactly <paramref name="recipientCertificates"/> (the copy's recipients plus recovery
    /// certificates; one RecipientInfo each, nobody else), all with <paramref name="keyTransport"/>.
    /// </summary>
    public SmimeEncryptTransform(
        IReadOnlyList<X509Certificate> recipientCertificates,
        ContentEncryptionAlgorithm contentEncryption = ContentEncryptionAlgorithm.Aes256Cbc,
        KeyTransportAlgorithm keyTransport = KeyTransportAlgorithm.RsaPkcs1,
        bool headerProtection = false,
        string subjectPlaceholder = "Encrypted message",
        IAgentLog? log = null)
        : this(Guard.NotNull(recipientCertificates).Select(c => new SmimeRecipient(c, keyTransport)).ToList(),
            contentEncryption, headerProtection, subjectPlaceholder, log)
    {
    }

    /// <summary>Encrypts to exactly <paramref name="recipients"/>, each with its own key transport (per partner).</summary>
    /// <param name="recipients">One RecipientInfo each, nobody else.</param>
    /// <param name="contentEncryption">The content-encryption algorithm.</param>
    /// <param name="headerProtection">Whether the whole message goes inside and only transport fields stay outside.</param>
    /// <param name="subjectPlaceholder">The outer Subject under header protection.</param>
    /// <param name="log">Where encryption events go.</param>
    /// <param name="bccRecipient">
    /// The blind recipient this copy is for, when it is one; null for a copy to To/Cc recipients, whose encrypted
    /// content then carries no Bcc field at all.
    /// </param>
    internal SmimeEncryptTransform(
        IReadOnlyList<SmimeRecipient> recipients,
        ContentEncryptionAlgorithm contentEncryption,
        bool headerProtection,
        string subjectPlaceholder,
        IAgentLog? log = null,
        string? bccRecipient = null)
    {
        _recipients = Guard.NotNull(recipients);
        if (_recipients.Count == 0)
        {
            throw new ArgumentException("An envelope needs at least one recipient certificate.", nameof(recipients));
        }

        foreach (var recipient in _recipients)
        {
            if (!SmimeAlgorithms.IsRsa(recipient.Certificate.GetPublicKey()))
            {
                throw new NotSupportedException("Only RSA recipient certificates are supported: " + recipient.Certificate.SubjectDN);
            }

            // Defence in depth (the certificate directory already checks): a certificate whose key usage does not
            // include keyEncipherment, such as a signing-only one, is never encrypted to (RFC 8550 §4.4.2).
            var usage = recipient.Certificate.GetKeyUsage();
            if (usage is not null && !(usage.Length > 2 && usage[2]))
            {
                throw new ArgumentException("The certificate is not for encryption (key usage lacks keyEncipherment): "
                    + Certificates.CertificateNames.Describe(recipient.Certificate), nameof(recipients));
            }
        }

        if (SmimeAlgorithms.IsGcm(contentEncryption) && _recipients.Select(r => r.KeyTransport).Distinct().Count() > 1)
        {
            // The AuthEnvelopedData generator wraps every content key the same way; the pipeline groups copies by partner settings.
            throw new ArgumentException("An AES-GCM envelope needs one key transport for all its recipients.", nameof(recipients));
        }

        _contentEncryption = contentEncryption;
        _headerProtection = headerProtection;
        _subjectPlaceholder = Guard.NotNull(subjectPlaceholder);
        _log = log ?? NullAgentLog.Instance;
        _bccRecipient = bccRecipient;
    }

    /// <inheritdoc />
    public string Name => "encrypt";

    /// <summary>The recipients whose keys the envelope will carry, in order.</summary>
    internal IReadOnlyList<SmimeRecipient> Recipients => _recipients;

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Guard.NotNull(destination);
        try
        {
            source.Position = 0;
            var header = RawHeaderBlock.Read(source);
            OuterHeaderWriter.WriteKeptFields(destination, header, _headerProtection ? _subjectPlaceholder : null);
            var fields = SmimeAlgorithms.IsGcm(_contentEncryption) ? AuthEnvelopedFields : EnvelopedFields;
            destination.Write(fields, 0, fields.Length);

            var base64 = new Base64LineStream(destination);
            using (var plain = OpenEnvelope(base64))
            {
                WriteInnerEntity(source, header, plain, cancellationToken);
            }

            base64.Complete();
            if (_log.IsEnabled(AgentEventLevel.Debug))
            {
                _log.Write(EventIds.MessageEncrypted, $"Encrypted with {_contentEncryption} for {_recipients.Count} recipient certificate(s)"
                    + (_headerProtection ? " with header protection." : "."));
            }
        }
        catch (Exception ex) when (ex is CmsException or IOException or InvalidOperationException or SecurityUtilityException or System.Security.Cryptography.CryptographicException
            or Org.BouncyCastle.Crypto.CryptoException)
        {
            _log.Write(EventIds.MessageEncryptFailed, "S/MIME encryption failed: " + ex.Message, ex);
            throw new MessageTransformException("S/MIME encryption failed: " + ex.Message, ex);
        }
    }

    private Stream OpenEnvelope(Stream output) => SmimeAlgorithms.IsGcm(_contentEncryption)
        ? AuthEnvelopedDataGenerator.Open(output, _recipients.Select(r => r.Certificate).ToList(), _contentEncryption, _recipients[0].KeyTransport)
        : EnvelopedDataWriter.Open(output, _recipients, _contentEncryption);

    private void WriteInnerEntity(Stream source, RawHeaderBlock header, Stream plain, CancellationToken cancellationToken)
    {
        if (_headerProtection)
        {
            // RFC 8551 §3.1: the original message, headers and all, as the only content; but no Bcc the recipients of
            // this copy may not see, and none of Exchange's organisation fields the header firewall could not remove.
            OuterHeaderWriter.WriteField(plain, "Content-Type", "message/rfc822");
            OuterHeaderWriter.WriteEnd(plain);
            OuterHeaderWriter.WriteInnerFields(plain, header, _bccRecipient);
            plain.Write(header.Separator, 0, header.Separator.Length);
            source.Position = header.BodyOffset;
        }
        else
        {
            // The body entity: its Content-* fields exactly as they were, the original empty line, the raw body.
            foreach (var field in header.Fields)
            {
                if (field.IsEntityField)
                {
                    plain.Write(field.Raw, 0, field.Raw.Length);
                }
            }

            plain.Write(header.Separator, 0, header.Separator.Length);
            source.Position = header.BodyOffset;
        }

        StreamCopy.Copy(source, plain, cancellationToken);
    }
}
