using System;
using System.IO;
using System.Text;
using MimeKit;
using MimeKit.Tnef;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// What one application/ms-tnef part (winmail.dat) holds, read with MimeKit's TNEF support: the body and attachments
/// as a MIME message, the MAPI message class and the sensitivity. Mail written in Outlook or OWA reaches transport
/// as Summary-TNEF, so without this the body and attachments of most outbound mail would be invisible to rules.
/// Never throws on content: a part that cannot be read gets <see cref="Error"/> and no message.
/// </summary>
internal sealed class TnefContent : IDisposable
{
    private TnefContent(MimeMessage? message, string? messageClass, MessageSensitivity? sensitivity, string? error)
    {
        Message = message;
        MessageClass = messageClass;
        Sensitivity = sensitivity;
        Error = error;
    }

    /// <summary>The TNEF content as MIME (body parts and attachments; nested TNEF stays a TnefPart), or null on error.</summary>
    public MimeMessage? Message { get; }

    /// <summary>The MAPI message class (for example IPM.Note, IPM.Schedule.Meeting.Request); null when absent.</summary>
    public string? MessageClass { get; }

    /// <summary>PR_SENSITIVITY, or null when the TNEF does not carry it.</summary>
    public MessageSensitivity? Sensitivity { get; }

    /// <summary>Why the part could not be read; null when it could.</summary>
    public string? Error { get; }

    /// <summary>True for meeting requests, responses and cancellations (IPM.Schedule.Meeting.*).</summary>
    public bool IsCalendaring
        => MessageClass is { } messageClass && messageClass.StartsWith("IPM.Schedule.Meeting.", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="part"/> is TNEF: application/ms-tnef, application/vnd.ms-tnef, or a file named winmail.dat.</summary>
    public static bool IsTnef(MimePart part)
        => part is TnefPart
            || part.ContentType.IsMimeType("application", "ms-tnef")
            || part.ContentType.IsMimeType("application", "vnd.ms-tnef")
            || string.Equals(part.FileName?.Trim(), "winmail.dat", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <paramref name="part"/>; at most <see cref="MessageContextLimits.MaxTnefBytes"/> bytes as transferred.</summary>
    public static TnefContent Read(MimePart part)
    {
        Guard.NotNull(part);
        CodePages.EnsureRegistered();
        if (part.Content is null)
        {
            return Failed("the TNEF part is empty");
        }

        try
        {
            // The size as transferred bounds the decoded size (base64 and quoted-printable only shrink), and
            // ConvertToMessage holds the attachments in memory: refuse what would not fit the bound.
            var encoded = part.Content.Stream;
            if (encoded is null || !encoded.CanSeek || encoded.Length > MessageContextLimits.MaxTnefBytes)
            {
                return Failed($"the TNEF part is larger than {MessageContextLimits.MaxTnefBytes / (1024 * 1024)} MB");
            }

            var decoded = Decode(part);
            var codepage = CodepageOf(part);
            string? messageClass;
            MessageSensitivity? sensitivity;
            using (var reader = new TnefReader(new MemoryStream(decoded, writable: false), codepage, TnefComplianceMode.Loose))
            {
                (messageClass, sensitivity, var implausible) = ReadMessageAttributes(reader);
                if (implausible is not null)
                {
                    return Failed("the TNEF data is malformed (" + implausible + ")");
                }

                // Loose mode reads past small faults (Outlook writes some); a wrong signature or a cut stream is not TNEF.
                var fatal = reader.ComplianceStatus & (TnefComplianceStatus.InvalidTnefSignature | TnefComplianceStatus.StreamTruncated);
                if (fatal != 0)
                {
                    return Failed("the TNEF data is malformed (" + fatal + ")");
                }
            }

            // Every length the stream declares is checked against the bytes that follow it before the converter
            // sizes an array from it: a few bytes claiming 2 GB must never become a 2 GB allocation (or an
            // OutOfMemoryException in the host), whatever the MimeKit version bounds by itself.
            if (TnefLengths.FindImplausible(decoded) is { } implausibleLength)
            {
                return Failed("the TNEF data is malformed (" + implausibleLength + ")");
            }

            // Converted from the bytes just checked, not decoded from the part a second time.
            var tnef = new TnefPart { Content = new MimeContent(new MemoryStream(decoded, writable: false)) };
            var message = tnef.ConvertToMessage();
            return new TnefContent(message, messageClass, sensitivity, null);
        }
#pragma warning disable CA1031 // Hostile TNEF must never reach the host: any failure to read it is a result.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return Failed("the TNEF data could not be read (" + ex.GetType().Name + ")");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Message?.Dispose();

    private static TnefContent Failed(string reason) => new(null, null, null, reason);

    /// <summary>The part's content decoded; the caller has bounded its size (the size as transferred bounds it).</summary>
    private static byte[] Decode(MimePart part)
    {
        using var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        return decoded.ToArray();
    }

    private static int CodepageOf(MimePart part)
    {
        var charset = part.ContentType.Charset;
        if (string.IsNullOrEmpty(charset))
        {
            return 0;
        }

        try
        {
            return Encoding.GetEncoding(charset!.Trim().Trim('"')).CodePage;
        }
        catch (ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The message class and sensitivity from the message-level attributes; walks the whole stream, every property
    /// list included, and names the first count the bytes cannot hold (then the rest is not read).
    /// </summary>
    private static (string? MessageClass, MessageSensitivity? Sensitivity, string? Implausible) ReadMessageAttributes(TnefReader reader)
    {
        string? messageClass = null;
        string? attributeClass = null;
        MessageSensitivity? sensitivity = null;
        while (reader.ReadNextAttribute())
        {
            var property = reader.TnefPropertyReader;
            var message = reader.AttributeLevel == TnefAttributeLevel.Message;
            if (message && reader.AttributeTag == TnefAttributeTag.MessageClass)
            {
                attributeClass = ReadAttributeClass(property);
                continue;
            }

            string? implausible;
            if (reader.AttributeTag == TnefAttributeTag.RecipientTable)
            {
                implausible = WalkTable(reader);
            }
            else if (reader.AttributeTag is TnefAttributeTag.MapiProperties or TnefAttributeTag.Attachment)
            {
                var budget = ValueBudget(reader);
                implausible = WalkProperties(property, ref budget, table: false, message ? p => ReadMessageProperty(p, ref messageClass, ref sensitivity) : null);
            }
            else
            {
                // Other attributes are skipped unread, but walked: a cut or corrupt stream shows in ComplianceStatus.
                continue;
            }

            if (implausible is not null)
            {
                return (null, null, implausible);
            }
        }

        // PR_MESSAGE_CLASS is the MAPI truth; attMessageClass is the legacy copy older writers give alone.
        messageClass = string.IsNullOrWhiteSpace(messageClass) ? attributeClass : messageClass;
        return (string.IsNullOrWhiteSpace(messageClass) ? null : messageClass!.Trim(), sensitivity, null);
    }

    /// <summary>attMessageClass is an 8-bit string terminated by NUL, typed atpWord: MimeKit reads it only raw.</summary>
    private static string ReadAttributeClass(TnefPropertyReader property)
    {
        using var raw = property.GetRawValueReadStream();
        var buffer = new byte[256];
        var count = 0;
        int read;
        while (count < buffer.Length && (read = raw.Read(buffer, count, buffer.Length - count)) > 0)
        {
            count += read;
        }

        return Encoding.ASCII.GetString(buffer, 0, count).TrimEnd('\0', ' ');
    }

    private static void ReadMessageProperty(TnefPropertyReader property, ref string? messageClass, ref MessageSensitivity? sensitivity)
    {
        if (property.PropertyTag.Id == TnefPropertyId.MessageClass)
        {
            messageClass = property.ReadValueAsString();
        }
        else if (property.PropertyTag.Id == TnefPropertyId.Sensitivity)
        {
            sensitivity = property.ReadValueAsInt32() switch
            {
                1 => MessageSensitivity.Personal,
                2 => MessageSensitivity.Private,
                3 => MessageSensitivity.CompanyConfidential,
                _ => MessageSensitivity.Normal,
            };
        }
    }

    /// <summary>
    /// How many values the current attribute's bytes can hold. Every value TNEF counts takes at least four bytes of
    /// the attribute (a tag, a length, a fixed-size value or a count), so an honest property list counts at most a
    /// quarter of its length; the walk below may count the last property twice, hence half. MimeKit skips a value
    /// without reading when its length is zero (PT_NULL, PT_UNSPECIFIED, a negative string length), once per value
    /// counted: a count of 2^31 in a few bytes was 20 s of CPU (fuzz/corpus/rules/slow-*.eml).
    /// </summary>
    private static long ValueBudget(TnefReader reader) => (Math.Max(0, reader.AttributeRawValueLength) / 2) + 2;

    /// <summary>attRecipTable: rows of property lists, all against the one attribute's budget.</summary>
    private static string? WalkTable(TnefReader reader)
    {
        var property = reader.TnefPropertyReader;
        var budget = ValueBudget(reader);
        if (property.RowCount > budget)
        {
            return "a recipient table of " + property.RowCount + " rows in " + reader.AttributeRawValueLength + " bytes";
        }

        while (property.ReadNextRow())
        {
            if (WalkProperties(property, ref budget, table: true, null) is { } implausible)
            {
                return implausible;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads each property of the current list, checking its value count against <paramref name="budget"/> before
    /// MimeKit skips those values on the next step. In a table, a row that ends before its count is refused too:
    /// MimeKit's next row would skip the rest of it unseen.
    /// </summary>
    private static string? WalkProperties(TnefPropertyReader property, ref long budget, bool table, Action<TnefPropertyReader>? read)
    {
        var seen = 0;
        while (true)
        {
            var more = property.ReadNextProperty();
            budget -= Math.Max(1, property.ValueCount);
            if (budget < 0)
            {
                return "a property of " + property.ValueCount + " values past what its attribute holds";
            }

            if (!more)
            {
                return table && seen < property.PropertyCount ? "a recipient row that ends before its count" : null;
            }

            seen++;
            read?.Invoke(property);
        }
    }
}
