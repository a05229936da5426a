using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// Decides the <see cref="FileKind"/> from the leading bytes first, then the name and media type: a renamed file is
/// read for what it is, and a text file cannot pretend to be an archive.
/// </summary>
internal static class FileKinds
{
    private static readonly HashSet<string> OfficeOpenXmlExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xltx", "xltm", "pptx", "pptm", "potx", "potm", "ppsx", "ppsm",
    };

    private static readonly HashSet<string> OpenDocumentExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "odt", "ods", "odp", "ott", "ots", "otp",
    };

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "txt", "csv", "tsv", "log", "json", "md", "ics", "vcf", "ini", "cfg", "yaml", "yml", "conf", "sql", "ps1", "bat", "cmd", "sh",
    };

    private static readonly HashSet<string> TextMediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/json", "application/csv", "application/x-sh", "application/javascript", "application/ics",
        "message/delivery-status", "message/disposition-notification",
    };

    /// <summary>How many leading bytes <see cref="Detect"/> wants.</summary>
    public const int HeadLength = 8;

    public static FileKind Detect(string? name, string? mediaType, byte[] head, int headCount)
    {
        var extension = FileNames.Extension(name);
        var type = (mediaType ?? string.Empty).ToLowerInvariant();
        if (StartsWith(head, headCount, 0x50, 0x4B, 0x03, 0x04) || StartsWith(head, headCount, 0x50, 0x4B, 0x05, 0x06))
        {
            if (OfficeOpenXmlExtensions.Contains(extension) || type.StartsWith("application/vnd.openxmlformats-officedocument.", StringComparison.Ordinal)
                || type.StartsWith("application/vnd.ms-word.", StringComparison.Ordinal) || type.StartsWith("application/vnd.ms-excel.", StringComparison.Ordinal)
                || type.StartsWith("application/vnd.ms-powerpoint.", StringComparison.Ordinal))
            {
                return FileKind.OfficeOpenXml;
            }

            return OpenDocumentExtensions.Contains(extension) || type.StartsWith("application/vnd.oasis.opendocument.", StringComparison.Ordinal)
                ? FileKind.OpenDocument
                : FileKind.Zip;
        }

        if (StartsWith(head, headCount, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1))
        {
            return FileKind.CompoundFile;
        }

        if (StartsWith(head, headCount, (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-'))
        {
            return FileKind.Pdf;
        }

        if (StartsWith(head, headCount, (byte)'{', (byte)'\\', (byte)'r', (byte)'t', (byte)'f'))
        {
            return FileKind.Rtf;
        }

        if (type == "message/rfc822" || extension == "eml")
        {
            return FileKind.Message;
        }

        if (type == "text/html" || extension is "htm" or "html")
        {
            return FileKind.Html;
        }

        if (type is "text/xml" or "application/xml" || type.EndsWith("+xml", StringComparison.Ordinal) || extension == "xml")
        {
            return FileKind.Xml;
        }

        if (type.StartsWith("text/", StringComparison.Ordinal) || TextMediaTypes.Contains(type) || TextExtensions.Contains(extension))
        {
            return FileKind.Text;
        }

        return FileKind.Unsupported;
    }

    private static bool StartsWith(byte[] head, int count, params byte[] magic)
    {
        if (count < magic.Length)
        {
            return false;
        }

        for (var i = 0; i < magic.Length; i++)
        {
            if (head[i] != magic[i])
            {
                return false;
            }
        }

        return true;
    }
}
