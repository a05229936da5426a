using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content.RawMime;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// One message as conditions and the pipeline see it: envelope, headers, addresses, type, attachments and decoded
/// text. Created once per message over a seekable stream of the RFC 5322 bytes. MIME is parsed on first use, with
/// MimeKit in persistent mode (bodies stay in the stream, not in memory); text is decoded only when a condition asks,
/// once. Malformed MIME is a result (<see cref="ParseFailed"/>), never an exception: whatever cannot be read is empty,
/// so conditions on it do not match. One thread at a time.
/// </summary>
public sealed class MessageContext : IDisposable
{
    private static readonly IReadOnlyList<string> NoValues = Array.Empty<string>();

    private readonly Stream _stream;
    private readonly long _start;
    private readonly bool _leaveOpen;
    private Stream? _parseView;
    private Stream? _boundedView;
    private bool _parsed;
    private string? _headerFieldsNotIndexed;
    private bool _disposed;
    private MimeMessage? _message;
    private string? _parseError;
    private MessageStructure _structure = MessageStructure.Empty;
    private Dictionary<string, IndexedFields>? _headerIndex;
    private string? _subject;
    private string? _bodyText;
    private HashSet<string>? _toCc;
    private string? _fromAddress;
    private bool _fromParsed;
    private AddressInfo? _sender;
    private IReadOnlyList<SensitivityLabel>? _labels;
    private IReadOnlyList<Guid>? _classifications;

    private MessageTypes? _types;
    private MessageImportance? _importance;
    private MessageSensitivity? _sensitivity;

    private readonly TemporaryFileFactory _temporaryFiles;

    private MessageContext(MessageEnvelope envelope, Stream stream, bool leaveOpen, TemporaryFileFactory temporaryFiles)
    {
        Envelope = envelope;
        _temporaryFiles = temporaryFiles;
        _stream = stream;
        _leaveOpen = leaveOpen;
        _start = stream.Position;
        Size = stream.Length - _start;
        EnvelopeRecipients = envelope.Recipients.Select(r => AddressInfo.Of(r.Address)).ToArray();
    }

    /// <summary>
    /// Creates the context. <paramref name="message"/> must be seekable and positioned at the first header byte; it
    /// must stay open while the context lives. With <paramref name="leaveOpen"/> false, Dispose closes it. Large
    /// attachments are spooled for inspection through <paramref name="temporaryFiles"/> (the engine passes the
    /// runtime's; without one, memory).
    /// </summary>
    public static MessageContext Create(MessageEnvelope envelope, Stream message, bool leaveOpen = true, TemporaryFileFactory? temporaryFiles = null)
    {
        Guard.NotNull(envelope);
        Guard.NotNull(message);
        if (!message.CanSeek || !message.CanRead)
        {
            throw new ArgumentException("The message stream must be readable and seekable.", nameof(message));
        }

        return new MessageContext(envelope, message, leaveOpen, temporaryFiles ?? TemporaryFileFactory.InMemory);
    }

    /// <summary>The SMTP envelope.</summary>
    public MessageEnvelope Envelope { get; }

    /// <summary>Size in bytes of the message as received.</summary>
    public long Size { get; }

    /// <summary>The parsed message (null when parsing failed). Its bodies read from the original stream.</summary>
    public MimeMessage? Message
    {
        get
        {
            EnsureParsed();
            return _message;
        }
    }

    /// <summary>True when MimeKit could not parse the message at all.</summary>
    public bool ParseFailed
    {
        get
        {
            EnsureParsed();
            return _message is null;
        }
    }

    /// <summary>Why parsing failed, for logs; null when it did not.</summary>
    public string? ParseError
    {
        get
        {
            EnsureParsed();
            return _parseError;
        }
    }

    /// <summary>True when the message carries TNEF (application/ms-tnef, winmail.dat): Outlook's Summary-TNEF.</summary>
    public bool ContainsTnef => Structure.ContainsTnef;

    /// <summary>
    /// Why part of the content could not be read (a malformed or oversized TNEF part, MIME nested beyond the limit);
    /// null when everything could.
    /// Rules whose content conditions need it get a rule error rather than a silent "no match".
    /// </summary>
    public string? UnreadableContent => Structure.UnreadableContent;

    /// <summary>
    /// Why header conditions cannot see every field (a block of more than
    /// <see cref="MessageContextLimits.MaxIndexedHeaders"/> fields: no real mail has one, Exchange refuses header blocks
    /// over 256 KB); null when they see all. A label or classification field placed past the index would otherwise be a
    /// silent "no match", so rules with header conditions get a rule error instead.
    /// </summary>
    public string? HeaderFieldsNotIndexed
    {
        get
        {
            EnsureParsed();
            return _headerFieldsNotIndexed;
        }
    }

    /// <summary>True when the MIME tree was deeper than <see cref="MessageContextLimits.MaxMimeDepth"/> (the rest is opaque).</summary>
    public bool NestingLimitReached => Structure.NestingLimitReached;

    /// <summary>The first mailbox of the From header, or null.</summary>
    public string? FromAddress
    {
        get
        {
            if (!_fromParsed)
            {
                _fromParsed = true;
                var address = TryRead(() => Message?.From.Mailboxes.FirstOrDefault()?.Address);
                _fromAddress = address.Length == 0 ? null : address;
            }

            return _fromAddress;
        }
    }

    /// <summary>
    /// The sender address From-conditions compare: the header From (what Exchange's default SenderAddressLocation=Header
    /// reads), else MAIL FROM; null when both are empty.
    /// </summary>
    public string? SenderAddress => Sender.Address.Length == 0 ? null : Sender.Address;

    /// <summary>Every address in the To and Cc headers (groups flattened), case-insensitive. Envelope recipients not in it are Bcc.</summary>
    public IReadOnlyCollection<string> ToCcAddresses => ToCcSet;

    /// <summary>True when <paramref name="address"/> is in the To or Cc header (case-insensitive).</summary>
    public bool IsInToOrCc(string address) => ToCcSet.Contains(Guard.NotNull(address));

    private HashSet<string> ToCcSet => _toCc ??= ReadToCc();

    /// <summary>The decoded Subject, whitespace collapsed; empty when none.</summary>
    public string Subject => _subject ??= Truncate(TextNormalizer.CollapseWhitespace(TryRead(() => Message?.Subject)));

    /// <summary>What kind of message it is.</summary>
    public MessageTypes Types => _types ??= Structure.Types | HeaderMessageTypes.Read(GetHeaderValues, ContentClass());

    /// <summary>
    /// True when the content itself is encrypted (CMS enveloped or authEnveloped data, or RFC 3156 PGP/MIME), never
    /// because a label says so: see <see cref="EncryptedContentClassifier"/>.
    /// </summary>
    public bool IsEncrypted => (Types & MessageTypes.Encrypted) != 0;

    /// <summary>Attachments (see <see cref="AttachmentInfo"/>), in document order.</summary>
    public IReadOnlyList<AttachmentInfo> Attachments => Structure.Attachments;

    /// <summary>Importance from Importance, X-Priority or X-MSMail-Priority; Normal when absent.</summary>
    internal MessageImportance Importance => _importance ??= MessageHeaderFields.Importance(GetHeaderValues);

    /// <summary>The Sensitivity header; Normal when absent or unknown.</summary>
    internal MessageSensitivity Sensitivity => _sensitivity ??= MessageHeaderFields.Sensitivity(Structure.TnefSensitivity, GetHeaderValues);

    /// <summary>The Exchange message classifications (X-MS-Exchange-Organization-Classification), as GUIDs.</summary>
    public IReadOnlyList<Guid> MessageClassifications
        => _classifications ??= MessageHeaderFields.Classifications(GetHeaderValues("X-MS-Exchange-Organization-Classification"));

    /// <summary>The enabled Purview sensitivity labels of the msip_labels header.</summary>
    internal IReadOnlyList<SensitivityLabel> SensitivityLabels
        => _labels ??= SensitivityLabel.ParseMsipLabels(string.Join(";", GetHeaderValues("msip_labels")));

    /// <summary>
    /// The decoded text of every body part (text/plain and text/html that are not attachments; HTML read as text,
    /// whitespace collapsed), separated by a space; at most <see cref="MessageContextLimits.MaxBodyTextBytes"/>
    /// decoded bytes. Decoded once.
    /// </summary>
    public string BodyText => _bodyText ??= ReadBodyText();

    /// <summary>True when the body text was cut at <see cref="MessageContextLimits.MaxBodyTextBytes"/>.</summary>
    public bool BodyTextTruncated { get; private set; }

    internal IReadOnlyList<AddressInfo> EnvelopeRecipients { get; }

    internal IReadOnlyList<string> SenderDomainSuffixes => Sender.DomainSuffixes;

    private AddressInfo Sender => _sender ??= AddressInfo.Of(FromAddress ?? Envelope.MailFrom);

    /// <summary>The header From address (SenderAddressLocation=Header); empty when there is none.</summary>
    internal AddressInfo HeaderSender => _headerSender ??= AddressInfo.Of(FromAddress ?? string.Empty);

    /// <summary>The MAIL FROM address (SenderAddressLocation=Envelope); empty for the null reverse path.</summary>
    internal AddressInfo EnvelopeSender => _envelopeSender ??= AddressInfo.Of(Envelope.MailFrom);

    /// <summary>
    /// The address whose domain says whether an outside sender is a partner (FromScope ExternalPartner): MAIL FROM, or
    /// the header From for the null reverse path. Whether the sender is inside at all is the host's word alone.
    /// </summary>
    internal AddressInfo ScopeSender => Envelope.MailFrom.Length > 0 ? EnvelopeSender : HeaderSender;

    private AddressInfo? _headerSender;

    private AddressInfo? _envelopeSender;

    private MessageStructure Structure
    {
        get
        {
            EnsureParsed();
            return _structure;
        }
    }

    /// <summary>Every value of the top-level header <paramref name="name"/>, decoded and whitespace-collapsed.</summary>
    public IReadOnlyList<string> GetHeaderValues(string name)
    {
        _headerIndex ??= BuildHeaderIndex();
        return _headerIndex.TryGetValue(name, out var fields) ? fields.Values : NoValues;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _structure.Dispose();
        _message?.Dispose();
        _boundedView?.Dispose();
        _parseView?.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void EnsureParsed()
    {
        if (_parsed)
        {
            return;
        }

        _parsed = true;
        if (_disposed)
        {
            _parseError = "The message context is disposed.";
            return;
        }

        try
        {
            var options = new ParserOptions { MaxMimeDepth = MessageContextLimits.MaxMimeDepth };
            var parseStream = HeaderFieldLimiter.ForParsing(_stream, _start, out var fieldsPastIndex);
            _headerFieldsNotIndexed = fieldsPastIndex
                ? "more than " + MessageContextLimits.MaxIndexedHeaders + " header fields"
                : null;
            _parseView = ReferenceEquals(parseStream, _stream) ? null : parseStream;
            var bounded = DelimiterLineLimiter.Bound(parseStream, out var tooManyParts);
            _boundedView = ReferenceEquals(bounded, parseStream) ? null : bounded;
            _message = MimeMessage.Load(options, bounded, persistent: true);
            _structure = MessageStructure.Walk(_message, _temporaryFiles);
            if (tooManyParts)
            {
                _structure.MarkUnreadable("more than " + MessageContextLimits.MaxMimeParts + " MIME parts");
            }
        }
#pragma warning disable CA1031 // Any content problem is a result: the caller must never see an exception for bad mail.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            _message = null;
            _structure = MessageStructure.Empty;
            _parseError = ex.GetType().Name + ": " + ex.Message;
        }
    }

    /// <summary>
    /// The first <see cref="MessageContextLimits.MaxIndexedHeaders"/> top-level fields by name. Values are decoded when a
    /// name is first asked for: conditions ask for a handful of names, and decoding every field of every message was a
    /// tenth of planning a small one.
    /// </summary>
    private Dictionary<string, IndexedFields> BuildHeaderIndex()
    {
        var headers = Message?.Headers;
        if (headers is null)
        {
            return new Dictionary<string, IndexedFields>(StringComparer.OrdinalIgnoreCase);
        }

        var count = Math.Min(headers.Count, MessageContextLimits.MaxIndexedHeaders);
        var index = new Dictionary<string, IndexedFields>(count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < count; i++)
        {
            var header = headers[i];
            if (index.TryGetValue(header.Field, out var fields))
            {
                fields.Add(header);
            }
            else
            {
                index.Add(header.Field, new IndexedFields(header));
            }
        }

        return index;
    }

    private HashSet<string> ReadToCc()
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var message = Message;
        if (message is null)
        {
            return set;
        }

        TryRead(() =>
        {
            foreach (var mailbox in message.To.Mailboxes.Concat(message.Cc.Mailboxes))
            {
                if (!string.IsNullOrEmpty(mailbox.Address))
                {
                    set.Add(mailbox.Address);
                }
            }

            return string.Empty;
        });
        return set;
    }

    private string ReadBodyText()
    {
        // The decoded text as it is (no normalised copy: word search treats any whitespace run as one space), and
        // HTML read as text. One body part, the usual case, costs one string.
        string? single = null;
        StringBuilder? builder = null;
        var budget = MessageContextLimits.MaxBodyTextBytes;
        foreach (var part in Structure.BodyParts)
        {
            if (budget <= 0)
            {
                BodyTextTruncated = true;
                break;
            }

            var raw = TextDecoding.Decode(part, budget, out var truncated);
            budget -= raw.Length;
            BodyTextTruncated |= truncated;
            var text = part.ContentType.IsMimeType("text", "html") ? HtmlText.ToText(raw) : raw;
            if (single is null && builder is null)
            {
                single = text;
                continue;
            }

            builder ??= new StringBuilder(single);
            builder.Append(' ').Append(text);
        }

        return builder?.ToString() ?? single ?? string.Empty;
    }

    /// <summary>Content-Class values: MimeKit files Content-* fields under the body entity, not the message.</summary>
    private List<string> ContentClass()
    {
        var values = new List<string>(GetHeaderValues("Content-Class"));
        var body = Message?.Body;
        if (body is not null)
        {
            values.AddRange(body.Headers.Where(h => h.Field.Equals("Content-Class", StringComparison.OrdinalIgnoreCase)).Select(h => TryRead(() => h.Value).Trim()));
        }

        return values;
    }

    private static string Truncate(string value)
        => value.Length <= MessageContextLimits.MaxHeaderValueChars ? value : value.Substring(0, MessageContextLimits.MaxHeaderValueChars);

    private static string TryRead(Func<string?> read)
    {
        try
        {
            return read() ?? string.Empty;
        }
#pragma warning disable CA1031 // A header MimeKit cannot decode reads as empty; content must never throw.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return string.Empty;
        }
    }

    /// <summary>The fields of one name in order, and their values once decoded (whitespace collapsed, truncated).</summary>
    private sealed class IndexedFields
    {
        private readonly List<Header> _fields = new(1);
        private IReadOnlyList<string>? _values;

        public IndexedFields(Header first) => _fields.Add(first);

        public IReadOnlyList<string> Values => _values ??= Decode();

        public void Add(Header header) => _fields.Add(header);

        private string[] Decode()
        {
            var values = new string[_fields.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var header = _fields[i];
                values[i] = Truncate(TextNormalizer.CollapseWhitespace(TryRead(() => header.Value)));
            }

            return values;
        }
    }
}
