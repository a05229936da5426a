using System.IO;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>The text of a PDF, page by page, with PdfPig.</summary>
internal static class PdfText
{
    /// <summary>Reads the text; returns false when the PDF is encrypted with a password the engine does not have.</summary>
    public static bool Read(Stream seekable, BoundedText text, InspectionBudget budget)
    {
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(seekable, new ParsingOptions { UseLenientParsing = true });
        }
        catch (PdfDocumentEncryptedException)
        {
            return false;
        }

        using (document)
        {
            // A PDF with only an owner password (no password to open) is readable: it is not "password protected" in
            // Exchange's sense, which is about content that cannot be inspected.
            var pages = document.NumberOfPages;
            if (pages > AttachmentInspectionLimits.MaxPdfPages)
            {
                throw new InspectionLimitException($"PDF with more than {AttachmentInspectionLimits.MaxPdfPages} pages");
            }

            for (var i = 1; i <= pages && !text.IsFull; i++)
            {
                budget.CheckTime();
                foreach (var word in document.GetPage(i).GetWords())
                {
                    text.Append(word.Text);
                    text.Break();
                }

                text.Break();
            }
        }

        return true;
    }
}
