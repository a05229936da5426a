using System;
using System.IO;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// The text of a .docx, .xlsx or .pptx, read with the Open XML SDK part by part through its streaming reader (no
/// document object model in memory): body, headers, footers, notes, comments, shared strings, cells and slides.
/// </summary>
internal static class OfficeOpenXmlText
{
    // Parts that hold what a reader of the document sees (lower case); styles, themes and settings hold no content.
    private static readonly string[] TextPartTypes =
    {
        "wordprocessingml.document.main", "wordprocessingml.template.main", "document.macroenabled.main",
        "wordprocessingml.header", "wordprocessingml.footer", "wordprocessingml.footnotes", "wordprocessingml.endnotes",
        "wordprocessingml.comments", "spreadsheetml.sharedstrings", "spreadsheetml.worksheet", "spreadsheetml.comments",
        "presentationml.slide+xml", "presentationml.notesslide", "presentationml.comments",
    };

    public static void Read(Stream seekable, string extension, BoundedText text, InspectionBudget budget)
    {
        var settings = new OpenSettings
        {
            AutoSave = false,

            // The SDK refuses a part that expands beyond this: a decompression bomb inside a document stops here.
            MaxCharactersInPart = AttachmentInspectionLimits.MaxExpandedBytes,
        };
        using var package = Open(seekable, extension, settings);
        var textParts = 0;
        foreach (var part in package.GetAllParts())
        {
            if (IsTextPart(part.ContentType))
            {
                textParts++;
                if (!text.IsFull)
                {
                    ReadPart(part, text, budget);
                }
            }
        }

        if (textParts == 0)
        {
            // A zip that calls itself a document but has no document in it: not read, so not "no match".
            throw new InvalidDataException("no document content in the package");
        }
    }

    private static OpenXmlPackage Open(Stream stream, string extension, OpenSettings settings)
    {
        var first = extension.Length > 0 ? extension[0] : '\0';
        if (extension.StartsWith("xl", StringComparison.Ordinal))
        {
            return SpreadsheetDocument.Open(stream, false, settings);
        }

        if (first == 'p')
        {
            return PresentationDocument.Open(stream, false, settings);
        }

        if (extension.StartsWith("do", StringComparison.Ordinal))
        {
            return WordprocessingDocument.Open(stream, false, settings);
        }

        // No telling extension (a document inside an archive under another name): try each kind.
        foreach (var open in new Func<OpenXmlPackage>[]
                 {
                     () => WordprocessingDocument.Open(stream, false, settings),
                     () => SpreadsheetDocument.Open(stream, false, settings),
                     () => PresentationDocument.Open(stream, false, settings),
                 })
        {
            try
            {
                stream.Position = 0;
                return open();
            }
            catch (OpenXmlPackageException)
            {
            }
        }

        throw new InvalidDataException("not an Office Open XML document");
    }

    private static bool IsTextPart(string contentType)
    {
        var lower = contentType.ToLowerInvariant();
        foreach (var type in TextPartTypes)
        {
            if (lower.Contains(type))
            {
                return true;
            }
        }

        return false;
    }

    private static void ReadPart(OpenXmlPart part, BoundedText text, InspectionBudget budget)
    {
        using var reader = OpenXmlReader.Create(part);
        var elements = 0;
        while (reader.Read() && !text.IsFull)
        {
            if (++elements % 4096 == 0)
            {
                budget.CheckTime();
            }

            if (reader.IsStartElement && typeof(OpenXmlLeafTextElement).IsAssignableFrom(reader.ElementType))
            {
                // Runs split words anywhere ("confi" + "dential"): join them, and break at paragraph and cell ends.
                text.Append(reader.GetText());
            }
            else if (reader.IsEndElement && reader.LocalName is "p" or "si" or "c" or "tc" or "br" or "tab")
            {
                text.Break();
            }
        }

        text.Break();
    }
}
