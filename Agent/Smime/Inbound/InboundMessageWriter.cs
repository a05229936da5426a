using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Writes the delivered message: header fields edited at the byte level (our stamps first, incoming X-EEA-* gone,
/// an optional Subject tag), every other byte copied as it was, so a multipart/signed that stays signed keeps its
/// exact bytes and its signature.
/// </summary>
internal static class InboundMessageWriter
{
    /// <summary>
    /// The header fields an embedded message (header protection, RFC 8551 §3.1) may show in place of the outer ones:
    /// what a reader sees and threads by, nothing else. Decrypted content never supplies trace fields (Received,
    /// Return-Path), authentication results (Authentication-Results, ARC-*, DKIM-Signature, Received-SPF), Exchange's
    /// own fields (X-MS-Exchange-*, including the organisation's AuthAs and AuthSource), or X-EEA-*: those are written
    /// by the servers that received the message, and whoever encrypts a message to the organisation must not be able to
    /// write them. Sender stays the outer one; From is shown only when bound (see InboundSmimeTransform).
    /// </summary>
    internal static readonly IReadOnlyCollection<string> DisplayFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Subject", "To", "Cc", "Date", "Message-ID", "In-Reply-To", "References", "Reply-To", "Keywords",
        "Comments", "Thread-Topic", "Thread-Index", "Importance", "Priority", "X-Priority", "Sensitivity",
    };

    private const string AttachmentName = "decrypted-content.eml";

    /// <summary>The original message with only its top-level header fields edited.</summary>
    public static void WriteOriginal(MimeSlice message, IReadOnlyList<RawHeaderField> stamps, string? subjectTag, Stream destination)
    {
        var fields = message.Headers.Fields.Where(f => !f.IsAgentField).ToList();
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        Copy(new SliceStream(message.Source, message.Headers.FieldsEnd, message.End), destination);
    }

    /// <summary>
    /// The outer header fields (without their Content-* fields) over the delivered entity: its Content-* fields and
    /// its body. When an embedded message is presented, its display fields (<see cref="DisplayFields"/>) replace the
    /// outer ones of the same name; its From only when <paramref name="innerFromShown"/>.
    /// </summary>
    public static void WriteDecrypted(MimeSlice outer, MimeSlice delivered, bool deliveredIsMessage, bool innerFromShown, IReadOnlyList<RawHeaderField> stamps, string? subjectTag, Stream destination)
    {
        var innerFields = deliveredIsMessage
            ? delivered.Headers.Fields.Where(f => DisplayFields.Contains(f.Name) && (innerFromShown || !f.Is("From"))).ToList()
            : new List<RawHeaderField>();
        var innerNames = new HashSet<string>(innerFields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var fields = outer.Headers.Fields.Where(f => !IsBodyField(f) && !f.IsAgentField && !innerNames.Contains(f.Name)).ToList();
        fields.AddRange(innerFields);
        fields.Add(RawHeaderField.Create("MIME-Version", "1.0"));
        fields.AddRange(delivered.Headers.Fields.Where(f => f.IsEntityField));
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        Copy(new SliceStream(delivered.Source, delivered.Headers.FieldsEnd, delivered.End), destination);
    }

    /// <summary>
    /// The outer header fields over a notice and the decrypted entity as an application/octet-stream attachment
    /// (UnsignedCbcContent=Attachment): the decrypted bytes are kept whole, base64-encoded, so no client renders any
    /// of their HTML or loads their remote content unless the reader deliberately opens the attachment.
    /// </summary>
    public static void WriteAsAttachment(MimeSlice outer, MimeSlice delivered, IReadOnlyList<RawHeaderField> stamps, string? subjectTag, Stream destination)
    {
        var boundary = "=_eea-" + Guid.NewGuid().ToString("N");
        var fields = outer.Headers.Fields.Where(f => !IsBodyField(f) && !f.IsAgentField).ToList();
        fields.Add(RawHeaderField.Create("MIME-Version", "1.0"));
        fields.Add(RawHeaderField.Create("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\""));
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        WriteAscii(destination,
            "\r\n--" + boundary + "\r\n" +
            "Content-Type: text/plain; charset=us-ascii\r\n" +
            "Content-Transfer-Encoding: 7bit\r\n\r\n" +
            "This message was encrypted without integrity protection and is not signed inside the encryption, so\r\n" +
            "nothing shows that its content is what the sender wrote: encrypted mail captured elsewhere can be\r\n" +
            "rewritten to send its text to a third party when it is displayed. The decrypted content is attached\r\n" +
            "(" + AttachmentName + ") and is not displayed. Open it only if you expected this message from this sender.\r\n" +
            "\r\n--" + boundary + "\r\n" +
            "Content-Type: application/octet-stream; name=\"" + AttachmentName + "\"\r\n" +
            "Content-Disposition: attachment; filename=\"" + AttachmentName + "\"\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\n");
        using var encoder = new Base64LineStream(destination);
        using (var entity = delivered.OpenEntity())
        {
            entity.CopyTo(encoder, 64 * 1024);
        }

        encoder.Complete();
        WriteAscii(destination, "\r\n--" + boundary + "--\r\n");
    }

    private static bool IsBodyField(RawHeaderField field) => field.IsEntityField || field.IsMimeVersion;

    /// <summary>Verdict tags are words of their own: one space between the tag and the Subject.</summary>
    private static List<RawHeaderField> ApplySubjectTag(List<RawHeaderField> fields, string? tag)
    {
        if (!string.IsNullOrEmpty(tag))
        {
            SubjectField.Prepend(fields, tag!, " ", "\r\n");
        }

        return fields;
    }

    private static void WriteFields(IReadOnlyList<RawHeaderField> stamps, List<RawHeaderField> fields, Stream destination)
    {
        foreach (var field in stamps.Concat(fields))
        {
            destination.Write(field.Raw, 0, field.Raw.Length);
        }
    }

    private static void WriteAscii(Stream destination, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        destination.Write(bytes, 0, bytes.Length);
    }

    private static void Copy(Stream from, Stream to)
    {
        using (from)
        {
            from.CopyTo(to, 64 * 1024);
        }
    }
}
