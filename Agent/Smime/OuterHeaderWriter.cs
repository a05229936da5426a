using System;
using System.IO;
using System.Text;
using ExchangeEncryptionAgent.Content;
using MimeKit.Utils;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes the header block of a wrapped message: the original top-level fields that stay outside (everything but
/// Content-* and MIME-Version, RFC 2045 §9), byte for byte with CRLF line endings, then the new MIME fields.
/// </summary>
internal static class OuterHeaderWriter
{
    private static readonly byte[] Crlf = { (byte)'\r', (byte)'\n' };

    /// <summary>Writes the kept fields; with <paramref name="subjectReplacement"/>, Subject becomes it (added when absent).</summary>
    public static void WriteKeptFields(Stream output, RawHeaderBlock header, string? subjectReplacement)
    {
        var subjectWritten = false;
        foreach (var field in header.Fields)
        {
            if (field.IsEntityField || field.IsMimeVersion)
            {
                continue;
            }

            if (subjectReplacement is not null && field.Name.Equals("Subject", StringComparison.OrdinalIgnoreCase))
            {
                if (!subjectWritten)
                {
                    WriteSubject(output, subjectReplacement);
                    subjectWritten = true;
                }

                continue;
            }

            var bytes = field.WithCrlf();
            output.Write(bytes, 0, bytes.Length);
        }

        if (subjectReplacement is not null && !subjectWritten)
        {
            WriteSubject(output, subjectReplacement);
        }
    }

    /// <summary>Writes one ASCII field line ("Name: value") followed by CRLF.</summary>
    public static void WriteField(Stream output, string name, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(name + ": " + value + "\r\n");
        output.Write(bytes, 0, bytes.Length);
    }

    /// <summary>The empty line that ends the header block.</summary>
    public static void WriteEnd(Stream output) => output.Write(Crlf, 0, Crlf.Length);

    private static void WriteSubject(Stream output, string subject)
    {
        // No line breaks from configuration into the header; non-ASCII placeholders are encoded words (RFC 2047).
        subject = subject.Replace('\r', ' ').Replace('\n', ' ');
        var value = IsPrintableAscii(subject) ? subject : Encoding.ASCII.GetString(Rfc2047.EncodeText(Encoding.UTF8, subject)).Trim();
        WriteField(output, "Subject", value);
    }

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c > 0x7e)
            {
                return false;
            }
        }

        return true;
    }
}
