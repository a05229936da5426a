using System;
using System.IO;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes the header block of a wrapped message: the original top-level fields that stay outside, byte for byte with
/// CRLF line endings, then the new MIME fields. Without header protection that is every field but Content-* and
/// MIME-Version (RFC 2045 §9) and Bcc. With header protection (RFC 8551 §3.1, RFC 9788) it is only what transport
/// needs (<see cref="IsTransportField"/>) and the placeholder Subject: the complete original header block travels
/// inside the encryption, so anything else outside would only tell the network what the encryption hides.
/// </summary>
internal static class OuterHeaderWriter
{
    private static readonly byte[] Crlf = { (byte)'\r', (byte)'\n' };

    /// <summary>
    /// Fields that stay outside under header protection. Trace fields (RFC 5321 §4.4: loop detection and hop counts
    /// depend on them); the originator and destination fields every MTA, client list view and reply needs; Date and
    /// Message-ID (duplicate suppression, tracking); In-Reply-To and References (threading and loop detection in
    /// the recipients' systems, opaque identifiers that say nothing of the content); Auto-Submitted (RFC 3834: keeps
    /// auto-responders from answering automatic mail); the Resent-* block of a resent message except Resent-Bcc.
    /// </summary>
    private static readonly string[] TransportFields =
    {
        "Received", "Return-Path", "From", "Sender", "To", "Cc", "Date", "Message-ID", "In-Reply-To", "References",
        "Auto-Submitted", "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Message-ID",
    };

    /// <summary>
    /// Exchange's own organisation fields: later stages of the transport pipeline read them (authentication as
    /// internal, spam confidence, tracking IDs), and Exchange's header firewall removes them where mail leaves the
    /// organisation, so outside the envelope they reach nobody outside. Inside the envelope the firewall cannot see
    /// them, so they are never written there.
    /// </summary>
    private static readonly string[] OrganizationPrefixes = { "X-MS-Exchange-Organization-", "X-MS-Exchange-Forest-" };

    /// <summary>
    /// Writes the kept fields; with <paramref name="subjectReplacement"/> (header protection) only transport fields and
    /// Subject, which becomes the placeholder (added when absent).
    /// </summary>
    public static void WriteKeptFields(Stream output, RawHeaderBlock header, string? subjectReplacement)
    {
        var subjectWritten = false;
        foreach (var field in header.Fields)
        {
            // Bcc never outside an encrypted copy: a visible recipient must not learn of blind copies, and a blind
            // recipient's own copy says so inside the encryption (header protection) or not at all.
            if (field.IsEntityField || field.IsMimeVersion || field.Is("Bcc"))
            {
                continue;
            }

            if (subjectReplacement is not null && field.Is("Subject"))
            {
                if (!subjectWritten)
                {
                    Write(output, SubjectField.Create(subjectReplacement));
                    subjectWritten = true;
                }

                continue;
            }

            if (subjectReplacement is not null && !IsTransportField(field))
            {
                continue;
            }

            var bytes = field.WithCrlf();
            output.Write(bytes, 0, bytes.Length);
        }

        if (subjectReplacement is not null && !subjectWritten)
        {
            Write(output, SubjectField.Create(subjectReplacement));
        }
    }

    /// <summary>
    /// Writes the original header block inside the envelope (header protection): every field as it was, except
    /// Exchange's organisation fields and Bcc. A blind recipient's own copy (<paramref name="bccRecipient"/>) keeps
    /// a Bcc field naming that recipient only (RFC 5322 §3.6.3), so other blind recipients stay hidden from it too.
    /// </summary>
    public static void WriteInnerFields(Stream output, RawHeaderBlock header, string? bccRecipient)
    {
        var bccWritten = false;
        foreach (var field in header.Fields)
        {
            if (IsOrganizationField(field))
            {
                continue;
            }

            if (field.Is("Bcc"))
            {
                if (bccRecipient is not null && !bccWritten && HeaderText.IsPrintableAscii(bccRecipient))
                {
                    Write(output, RawHeaderField.Create("Bcc", bccRecipient, header.LineEnding));
                    bccWritten = true;
                }

                continue;
            }

            output.Write(field.Raw, 0, field.Raw.Length);
        }
    }

    /// <summary>True for the fields header protection leaves outside (besides the new MIME fields and Subject).</summary>
    public static bool IsTransportField(RawHeaderField field)
    {
        foreach (var name in TransportFields)
        {
            if (field.Is(name))
            {
                return true;
            }
        }

        return IsOrganizationField(field);
    }

    private static bool IsOrganizationField(RawHeaderField field)
    {
        foreach (var prefix in OrganizationPrefixes)
        {
            if (field.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes one field "Name: value" followed by CRLF (the value encoded by <see cref="HeaderText"/>).</summary>
    public static void WriteField(Stream output, string name, string value) => Write(output, RawHeaderField.Create(name, value));

    /// <summary>
    /// The MIME fields of an application/pkcs7-mime body of <paramref name="smimeType"/> in base64 (RFC 8551 §3.2.1,
    /// RFC 5751 §3.2.2) and the empty line after them: the same for every message, so the transforms encode them once.
    /// </summary>
    public static byte[] Pkcs7MimeFields(string smimeType) => Fields(
        ("MIME-Version", "1.0"),
        ("Content-Type", "application/pkcs7-mime; smime-type=" + smimeType + "; name=\"smime.p7m\""),
        ("Content-Transfer-Encoding", "base64"),
        ("Content-Disposition", "attachment; filename=\"smime.p7m\""));

    /// <summary>Fields encoded as <see cref="WriteField"/> writes them, then the empty line that ends the block.</summary>
    public static byte[] Fields(params (string Name, string Value)[] fields)
    {
        using var bytes = new MemoryStream();
        foreach (var (name, value) in fields)
        {
            WriteField(bytes, name, value);
        }

        WriteEnd(bytes);
        return bytes.ToArray();
    }

    /// <summary>The empty line that ends the header block.</summary>
    public static void WriteEnd(Stream output) => output.Write(Crlf, 0, Crlf.Length);

    private static void Write(Stream output, RawHeaderField field) => output.Write(field.Raw, 0, field.Raw.Length);
}
