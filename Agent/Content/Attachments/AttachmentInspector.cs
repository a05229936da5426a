using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using MimeKit;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// Reads one attachment the way Exchange's attachment conditions do: its text, and inside archives (.zip) and attached
/// messages the names, extensions and text of every file, with bounded depth, size, file count and time
/// (<see cref="AttachmentInspectionLimits"/>). Streams throughout: archive entries and documents are spooled one at a
/// time to memory or a temporary file, never a whole archive tree in memory. Whatever stops it is a result
/// (<see cref="AttachmentInspection.LimitExceeded"/>), never an exception.
/// </summary>
internal sealed class AttachmentInspector
{
    private readonly InspectionBudget _budget;
    private readonly List<InspectedFile> _files = new();
    private string? _unsupported;
    private string? _protected;

    private AttachmentInspector(InspectionBudget budget)
    {
        _budget = budget;
    }

    /// <summary>Inspects <paramref name="entity"/> (a MIME leaf or an attached message) keeping <paramref name="textLimitChars"/> characters of text per file.</summary>
    public static AttachmentInspection Inspect(MimeEntity entity, string? fileName, long textLimitChars, TemporaryFileFactory temporaryFiles)
    {
        var inspector = new AttachmentInspector(new InspectionBudget(textLimitChars, temporaryFiles));
        var name = string.IsNullOrEmpty(fileName) ? (entity is MessagePart ? "message.eml" : "attachment") : fileName!;
        string? limit = null;
        try
        {
            inspector.Entity(entity, name, name, 0);
        }
        catch (InspectionLimitException ex)
        {
            limit = ex.Message;
        }
#pragma warning disable CA1031 // A file no reader can parse is "could not inspect"; content must never throw.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            limit = "unreadable content (" + ex.GetType().Name + ")";
        }

        return new AttachmentInspection(inspector._files.ToArray(), inspector._unsupported, inspector._protected, limit);
    }

    private void Entity(MimeEntity entity, string name, string path, int depth)
    {
        switch (entity)
        {
            case MessagePart { Message: { } message }:
                _budget.CountFile();
                Message(message, name, path, depth + 1);
                break;
            case MimePart { Content: { } content } part:
                File(() => new BudgetedStream(content.Open(), _budget), name, path, part.ContentType.MimeType, part.ContentType.Charset, depth);
                break;
            default:
                _budget.CountFile();
                Add(name, path, string.Empty);
                break;
        }
    }

    private void Message(MimeMessage message, string name, string path, int depth)
    {
        InspectionBudget.CheckDepth(depth);
        var text = new BoundedText(_budget.TextLimitChars);
        text.Append(message.Subject);
        text.Break();
        var attachments = new List<MimeEntity>();
        var stack = new Stack<MimeEntity>();
        if (message.Body is not null)
        {
            stack.Push(message.Body);
        }

        while (stack.Count > 0)
        {
            _budget.CheckTime();
            switch (stack.Pop())
            {
                case Multipart multipart:
                    for (var i = multipart.Count - 1; i >= 0; i--)
                    {
                        stack.Push(multipart[i]);
                    }

                    break;
                case MimePart part when !part.IsAttachment && part.FileName is null
                                        && (part.ContentType.IsMimeType("text", "plain") || part.ContentType.IsMimeType("text", "html")):
                    var body = TextDecoding.Decode(part, _budget.TextLimitChars, out _);
                    text.Append(part.ContentType.IsMimeType("text", "html") ? HtmlText.ToText(body) : body);
                    text.Break();
                    break;
                case { } other:
                    attachments.Add(other);
                    break;
            }
        }

        Add(name, path, text.ToString());
        foreach (var attachment in attachments)
        {
            var childName = attachment is MimePart part ? part.FileName : attachment.ContentDisposition?.FileName ?? attachment.ContentType.Name;
            childName = string.IsNullOrEmpty(childName) ? (attachment is MessagePart ? "message.eml" : "attachment") : childName;
            Entity(attachment, childName!, path + "/" + childName, depth);
        }
    }

    private void File(Func<Stream> open, string name, string path, string? mediaType, string? charset, int depth)
    {
        _budget.CountFile();
        var head = new byte[FileKinds.HeadLength];
        int headCount;
        using (var probe = open())
        {
            headCount = ReadUpTo(probe, head);
        }

        var kind = FileKinds.Detect(name, mediaType, head, headCount);
        var text = new BoundedText(_budget.TextLimitChars);
        switch (kind)
        {
            case FileKind.Text:
            case FileKind.Html:
                using (var stream = open())
                {
                    var (bytes, count, truncated) = TextDecoding.ReadBounded(stream, _budget.TextLimitChars, 64 * 1024);
                    var decoded = TextDecoding.GetString(bytes, count, charset, truncated);
                    text.Append(kind == FileKind.Html ? HtmlText.ToText(decoded) : decoded);
                }

                break;
            case FileKind.Xml:
                using (var stream = open())
                {
                    MarkupText.ReadXml(stream, text, _budget);
                }

                break;
            case FileKind.Rtf:
                using (var stream = open())
                {
                    // RTF carries pictures and tables around little text: read more bytes than the text kept.
                    var (bytes, count, _) = TextDecoding.ReadBounded(stream, Math.Min(16L * 1024 * 1024, _budget.TextLimitChars * 16L), 64 * 1024);
                    RtfText.Read(TextDecoding.GetString(bytes, count, "us-ascii"), text, _budget);
                }

                break;
            case FileKind.Unsupported:
                _unsupported ??= path;
                break;
            default:
                using (var spool = _budget.Spool(open()))
                {
                    Container(kind, spool, name, path, text, depth);
                }

                return;
        }

        Add(name, path, text.ToString());
    }

    private void Container(FileKind kind, Stream spool, string name, string path, BoundedText text, int depth)
    {
        switch (kind)
        {
            case FileKind.Pdf:
                if (!PdfText.Read(spool, text, _budget))
                {
                    _protected ??= path;
                }

                Add(name, path, text.ToString());
                break;
            case FileKind.OfficeOpenXml:
                OfficeOpenXmlText.Read(spool, FileNames.Extension(name), text, _budget);
                Add(name, path, text.ToString());
                break;
            case FileKind.OpenDocument:
                using (var archive = new ZipArchive(spool, ZipArchiveMode.Read, leaveOpen: true))
                {
                    var content = archive.GetEntry("content.xml");
                    if (content is not null)
                    {
                        using var stream = new BudgetedStream(content.Open(), _budget);
                        MarkupText.ReadXml(stream, text, _budget);
                    }
                }

                Add(name, path, text.ToString());
                break;
            case FileKind.CompoundFile:
                // Legacy binary Office (.doc, .xls, .ppt, .msg) has no reader here; an encrypted .docx/.xlsx/.pptx is
                // a compound file too, and is password protected rather than merely unsupported.
                if (CompoundFile.IsEncryptedOfficeDocument(spool))
                {
                    _protected ??= path;
                }
                else
                {
                    _unsupported ??= path;
                }

                Add(name, path, string.Empty);
                break;
            case FileKind.Message:
                InspectionBudget.CheckDepth(depth + 1);
                Message(MimeMessage.Load(new ParserOptions { MaxMimeDepth = MessageContextLimits.MaxMimeDepth }, spool), name, path, depth + 1);
                break;
            case FileKind.Zip:
                Add(name, path, string.Empty);
                Zip(spool, path, depth + 1);
                break;
        }
    }

    private void Zip(Stream spool, string path, int depth)
    {
        InspectionBudget.CheckDepth(depth);
        var encrypted = ZipDirectory.EncryptedFlags(spool);
        spool.Position = 0;
        using var archive = new ZipArchive(spool, ZipArchiveMode.Read, leaveOpen: true);
        var entries = archive.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.FullName.Length == 0 || entry.FullName[entry.FullName.Length - 1] == '/')
            {
                continue; // a folder
            }

            var name = FileNames.LastSegment(entry.FullName);
            var entryPath = path + "/" + entry.FullName;
            if (i < encrypted.Count && encrypted[i])
            {
                // The name and extension are in the clear; the content is not.
                _budget.CountFile();
                _protected ??= entryPath;
                Add(name, entryPath, string.Empty);
                continue;
            }

            File(() => new BudgetedStream(entry.Open(), _budget), name, entryPath, null, null, depth);
        }
    }

    private void Add(string name, string path, string text) => _files.Add(new InspectedFile(name, path, text));

    private static int ReadUpTo(Stream stream, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer, total, buffer.Length - total);
            if (read <= 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
