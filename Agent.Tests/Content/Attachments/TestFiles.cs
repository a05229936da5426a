using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using MimeKit;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using W = DocumentFormat.OpenXml.Wordprocessing;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace ExchangeEncryptionAgent.Tests.Content.Attachments;

/// <summary>Real files made in the test with the libraries that write them: Open XML SDK, PdfPig, System.IO.Compression, MimeKit.</summary>
internal static class TestFiles
{
    /// <summary>A .docx whose body says <paramref name="text"/>, the word split across two runs as Word does.</summary>
    public static byte[] Docx(string text)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var half = text.Length / 2;
            main.Document = new W.Document(new W.Body(
                new W.Paragraph(new W.Run(new W.Text("Quarterly report"))),
                new W.Paragraph(new W.Run(new W.Text(text.Substring(0, half)) { Space = SpaceProcessingModeValues.Preserve }), new W.Run(new W.Text(text.Substring(half))))));
        }

        return stream.ToArray();
    }

    /// <summary>An .xlsx with <paramref name="text"/> in a shared-string cell.</summary>
    public static byte[] Xlsx(string text)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new S.Workbook();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new S.SharedStringTable(new S.SharedStringItem(new S.Text(text)));
            var sheet = workbook.AddNewPart<WorksheetPart>();
            sheet.Worksheet = new S.Worksheet(new S.SheetData(new S.Row(new S.Cell { CellReference = "A1", DataType = S.CellValues.SharedString, CellValue = new S.CellValue("0") })));
            workbook.Workbook.AppendChild(new S.Sheets(new S.Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Sheet1" }));
        }

        return stream.ToArray();
    }

    /// <summary>A one-page PDF that shows <paramref name="text"/>.</summary>
    public static byte[] Pdf(string text)
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        page.AddText(text, 12, new PdfPoint(50, 700), font);
        return builder.Build();
    }

    /// <summary>A zip of the given (path, bytes) entries.</summary>
    public static byte[] Zip(params (string Path, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in entries)
            {
                using var entry = archive.CreateEntry(path, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }

    /// <summary>A zip holding a zip holding ... <paramref name="levels"/> archives deep, the innermost holding secret.txt.</summary>
    public static byte[] NestedZip(int levels, string text)
    {
        var content = Zip(("secret.txt", Encoding.UTF8.GetBytes(text)));
        for (var level = 1; level < levels; level++)
        {
            content = Zip(($"level{level}.zip", content));
        }

        return content;
    }

    /// <summary>
    /// A zip with one entry, <paramref name="name"/>: <paramref name="prefix"/> then zero bytes up to
    /// <paramref name="bytes"/> (zeros compress about a thousand to one).
    /// </summary>
    public static byte[] ZipBomb(string name, string prefix, long bytes)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
            entry.Write(Encoding.ASCII.GetBytes(prefix));
            var block = new byte[1024 * 1024];
            for (long written = 0; written < bytes; written += block.Length)
            {
                entry.Write(block, 0, (int)Math.Min(block.Length, bytes - written));
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// An OLE compound file ([MS-CFB], version 3) whose directory holds one stream named <paramref name="streamName"/>:
    /// "EncryptionInfo" is what Office writes for a password-protected .docx; "WordDocument" is a legacy .doc.
    /// </summary>
    public static byte[] CompoundFile(string streamName)
    {
        var file = new byte[512 * 3];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(file, 0);
        BitConverter.GetBytes((ushort)0x3E).CopyTo(file, 0x18); // minor version
        BitConverter.GetBytes((ushort)3).CopyTo(file, 0x1A); // major version 3: 512-byte sectors
        BitConverter.GetBytes((ushort)0xFFFE).CopyTo(file, 0x1C); // little-endian
        BitConverter.GetBytes((ushort)9).CopyTo(file, 0x1E); // sector shift
        BitConverter.GetBytes((ushort)6).CopyTo(file, 0x20); // mini sector shift
        BitConverter.GetBytes(1u).CopyTo(file, 0x2C); // one FAT sector
        BitConverter.GetBytes(0u).CopyTo(file, 0x30); // directory starts at sector 0
        BitConverter.GetBytes(4096u).CopyTo(file, 0x38);
        BitConverter.GetBytes(0xFFFFFFFEu).CopyTo(file, 0x3C);
        BitConverter.GetBytes(0xFFFFFFFEu).CopyTo(file, 0x44);
        for (var i = 0; i < 109; i++)
        {
            BitConverter.GetBytes(i == 0 ? 1u : 0xFFFFFFFFu).CopyTo(file, 0x4C + (i * 4));
        }

        DirectoryEntry(file, 512, "Root Entry", 5);
        DirectoryEntry(file, 512 + 128, streamName, 2);
        BitConverter.GetBytes(0xFFFFFFFEu).CopyTo(file, 1024); // FAT[0]: the directory ends
        BitConverter.GetBytes(0xFFFFFFFDu).CopyTo(file, 1028); // FAT[1]: the FAT itself
        for (var i = 2; i < 128; i++)
        {
            BitConverter.GetBytes(0xFFFFFFFFu).CopyTo(file, 1024 + (i * 4));
        }

        return file;
    }

    private static void DirectoryEntry(byte[] file, int offset, string name, byte type)
    {
        var bytes = Encoding.Unicode.GetBytes(name + "\0");
        bytes.CopyTo(file, offset);
        BitConverter.GetBytes((ushort)bytes.Length).CopyTo(file, offset + 0x40);
        file[offset + 0x42] = type;
        BitConverter.GetBytes(0xFFFFFFFFu).CopyTo(file, offset + 0x44);
        BitConverter.GetBytes(0xFFFFFFFFu).CopyTo(file, offset + 0x48);
        BitConverter.GetBytes(0xFFFFFFFFu).CopyTo(file, offset + 0x4C);
    }

    /// <summary>An OpenDocument text file (zip with mimetype and content.xml) that says <paramref name="text"/>.</summary>
    public static byte[] Odt(string text)
        => Zip(
            ("mimetype", Encoding.ASCII.GetBytes("application/vnd.oasis.opendocument.text")),
            ("content.xml", Encoding.UTF8.GetBytes(
                "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">"
                + $"<office:body><office:text><text:p>Minutes</text:p><text:p><text:span>{text.Substring(0, 3)}</text:span>{text.Substring(3)}</text:p></office:text></office:body></office:document-content>")));

    /// <summary>A message from alice to bob with a short body and the given attachments.</summary>
    public static MimeMessage Message(string subject, params (string FileName, string MediaType, byte[] Content)[] attachments)
    {
        var builder = new BodyBuilder { TextBody = "Please see the attachment." };
        foreach (var (name, mediaType, content) in attachments)
        {
            builder.Attachments.Add(name, content, ContentType.Parse(mediaType));
        }

        var message = new MimeMessage { Subject = subject, Body = builder.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse("alice@contoso.com"));
        message.To.Add(MailboxAddress.Parse("bob@fabrikam.com"));
        message.MessageId = "inspection@contoso.com";
        message.Date = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        return message;
    }

    /// <summary>A message whose only attachment is <paramref name="inner"/>, attached as message/rfc822.</summary>
    public static MimeMessage Forward(MimeMessage inner)
    {
        var builder = new BodyBuilder { TextBody = "Forwarding this." };
        builder.Attachments.Add(new MessagePart { Message = inner, ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "original.eml" } });
        var message = new MimeMessage { Subject = "Fw: " + inner.Subject, Body = builder.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse("alice@contoso.com"));
        message.To.Add(MailboxAddress.Parse("bob@fabrikam.com"));
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
