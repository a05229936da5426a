using System;
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

            var codepage = CodepageOf(part);
            string? messageClass;
            MessageSensitivity? sensitivity;
            using (var reader = new TnefReader(part.Content.Open(), codepage, TnefComplianceMode.Loose))
            {
                (messageClass, sensitivity) = ReadMessageAttributes(reader);
                // Loose mode reads past small faults (Outlook writes some); a wrong signature or a cut stream is not TNEF.
                var fatal = reader.ComplianceStatus & (TnefComplianceStatus.InvalidTnefSignature | TnefComplianceStatus.StreamTruncated);
                if (fatal != 0)
                {
                    return Failed("the TNEF data is malformed (" + fatal + ")");
                }
            }

            var tnef = part as TnefPart ?? new TnefPart { Content = part.Content };
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

    /// <summary>The message class and sensitivity from the message-level attributes; walks the whole stream.</summary>
    private static (string? MessageClass, MessageSensitivity? Sensitivity) ReadMessageAttributes(TnefReader reader)
    {
        string? messageClass = null;
        string? attributeClass = null;
        MessageSensitivity? sensitivity = null;
        while (reader.ReadNextAttribute())
        {
            if (reader.AttributeLevel != TnefAttributeLevel.Message)
            {
                // Attachment attributes are skipped unread, but walked: a cut or corrupt stream shows in ComplianceStatus.
                continue;
            }

            var property = reader.TnefPropertyReader;
            if (reader.AttributeTag == TnefAttributeTag.MessageClass)
            {
                // attMessageClass is an 8-bit string terminated by NUL, typed atpWord: MimeKit reads it only raw.
                using (var raw = property.GetRawValueReadStream())
                {
                    var buffer = new byte[256];
                    var count = 0;
                    int read;
                    while (count < buffer.Length && (read = raw.Read(buffer, count, buffer.Length - count)) > 0)
                    {
                        count += read;
                    }

                    attributeClass = Encoding.ASCII.GetString(buffer, 0, count).TrimEnd('\0', ' ');
                }

                continue;
            }

            if (reader.AttributeTag != TnefAttributeTag.MapiProperties)
            {
                continue;
            }

            while (property.ReadNextProperty())
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
        }

        // PR_MESSAGE_CLASS is the MAPI truth; attMessageClass is the legacy copy older writers give alone.
        messageClass = string.IsNullOrWhiteSpace(messageClass) ? attributeClass : messageClass;
        return (string.IsNullOrWhiteSpace(messageClass) ? null : messageClass!.Trim(), sensitivity);
    }
}
