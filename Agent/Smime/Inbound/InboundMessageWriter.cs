using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Smime.Inbound.RawMime;
using MimeKit.Utils;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Writes the delivered message: header fields edited at the byte level (our stamps first, incoming X-EEA-* gone,
/// an optional Subject tag), every other byte copied as it was, so a multipart/signed that stays signed keeps its
/// exact bytes and its signature.
/// </summary>
internal static class InboundMessageWriter
{
    private static readonly byte[] CrLf = { (byte)'\r', (byte)'\n' };

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
    public static void WriteOriginal(MimeSlice message, IReadOnlyList<HeaderField> stamps, string? subjectTag, Stream destination)
    {
        var fields = message.Headers.Fields.Where(f => !IsAgentField(f)).ToList();
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        Copy(new SliceStream(message.Source, FieldsEnd(message), message.End), destination);
    }

    /// <summary>
    /// The outer header fields (without their Content-* fields) over the delivered entity: its Content-* fields and
    /// its body. When an embedded message is presented, its display fields (<see cref="DisplayFields"/>) replace the
    /// outer ones of the same name; its From only when <paramref name="innerFromShown"/>.
    /// </summary>
    public static void WriteDecrypted(MimeSlice outer, MimeSlice delivered, bool deliveredIsMessage, bool innerFromShown, IReadOnlyList<HeaderField> stamps, string? subjectTag, Stream destination)
    {
        var innerFields = deliveredIsMessage
            ? delivered.Headers.Fields.Where(f => DisplayFields.Contains(f.Name) && (innerFromShown || !f.Is("From"))).ToList()
            : new List<HeaderField>();
        var innerNames = new HashSet<string>(innerFields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        var fields = outer.Headers.Fields.Where(f => !IsBodyField(f) && !IsAgentField(f) && !innerNames.Contains(f.Name)).ToList();
        fields.AddRange(innerFields);
        fields.Add(HeaderField.Create("MIME-Version", "1.0"));
        fields.AddRange(delivered.Headers.Fields.Where(f => f.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)));
        WriteFields(stamps, ApplySubjectTag(fields, subjectTag), destination);
        Copy(new SliceStream(delivered.Source, FieldsEnd(delivered), delivered.End), destination);
    }

    /// <summary>
    /// The outer header fields over a notice and the decrypted entity as an application/octet-stream attachment
    /// (UnsignedCbcContent=Attachment): the decrypted bytes are kept whole, base64-encoded, so no client renders any
    /// of their HTML or loads their remote content unless the reader deliberately opens the attachment.
    /// </summary>
    public static void WriteAsAttachment(MimeSlice outer, MimeSlice delivered, IReadOnlyList<HeaderField> stamps, string? subjectTag, Stream destination)
    {
        var boundary = "=_eea-" + Guid.NewGuid().ToString("N");
        var fields = outer.Headers.Fields.Where(f => !IsBodyField(f) && !IsAgentField(f)).ToList();
        fields.Add(HeaderField.Create("MIME-Version", "1.0"));
        fields.Add(HeaderField.Create("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\""));
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

    /// <summary>Header names starting with X-EEA- belong to the agent: from outside they are forgeries.</summary>
    public static bool IsAgentField(HeaderField field) => field.Name.StartsWith(InboundSmimeHeaders.Prefix, StringComparison.OrdinalIgnoreCase);

    private static bool IsBodyField(HeaderField field) => field.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || field.Is("MIME-Version");

    /// <summary>Where the fields end and the empty line (if any) begins.</summary>
    private static long FieldsEnd(MimeSlice entity) => entity.Start + entity.Headers.Fields.Sum(f => (long)f.Raw.Length);

    private static List<HeaderField> ApplySubjectTag(List<HeaderField> fields, string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return fields;
        }

        var index = fields.FindIndex(f => f.Is("Subject"));
        if (index < 0)
        {
            fields.Add(HeaderField.Create("Subject", EncodeTag(tag!)));
            return fields;
        }

        var subject = fields[index];
        if (subject.Value.StartsWith(tag!, StringComparison.Ordinal) || subject.Value.StartsWith(EncodeTag(tag!), StringComparison.Ordinal))
        {
            return fields;
        }

        // "Subject: <tag> <original value bytes>": the original value keeps its own folding and encoded-words.
        var valueStart = subject.ValueOffset;
        while (valueStart < subject.Raw.Length && subject.Raw[valueStart] is (byte)' ' or (byte)'\t')
        {
            valueStart++;
        }

        var original = subject.Raw.AsSpan(valueStart).ToArray();
        var prefix = Encoding.ASCII.GetBytes(subject.Name + ": " + EncodeTag(tag!) + " ");
        var raw = new byte[prefix.Length + original.Length];
        prefix.CopyTo(raw, 0);
        original.CopyTo(raw, prefix.Length);
        fields[index] = new HeaderField(subject.Name, raw, subject.Name.Length + 1);
        return fields;
    }

    /// <summary>An ASCII tag as it is; anything else as an RFC 2047 encoded-word.</summary>
    private static string EncodeTag(string tag)
    {
        foreach (var c in tag)
        {
            if (c is < ' ' or > '~')
            {
                return Encoding.ASCII.GetString(Rfc2047.EncodeText(Encoding.UTF8, tag));
            }
        }

        return tag;
    }

    private static void WriteFields(IReadOnlyList<HeaderField> stamps, List<HeaderField> fields, Stream destination)
    {
        foreach (var field in stamps.Concat(fields))
        {
            destination.Write(field.Raw, 0, field.Raw.Length);
            if (field.Raw.Length == 0 || field.Raw[field.Raw.Length - 1] != (byte)'\n')
            {
                destination.Write(CrLf, 0, CrLf.Length);
            }
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
