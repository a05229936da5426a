using System.Collections.Generic;
using ExchangeEncryptionAgent.Content.Attachments;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>The files attachment conditions look at: each attachment, and what its inspection found inside it.</summary>
internal static class AttachmentFiles
{
    /// <summary>
    /// Names and extensions: every attachment's own, and for archives and attached messages every file inside them
    /// (only containers are opened: a name condition does not pay for reading a PDF's text).
    /// </summary>
    public static IEnumerable<(string Name, string Extension)> Names(EvaluationScope scope)
    {
        foreach (var attachment in scope.Message.Attachments)
        {
            if (attachment.FileName is not null)
            {
                yield return (attachment.FileName, attachment.Extension);
            }

            if (!attachment.IsContainer)
            {
                continue;
            }

            var files = attachment.Inspect(scope.Settings.AttachmentScanLimitBytes).Files;
            for (var i = 1; i < files.Count; i++)
            {
                yield return (files[i].Name, files[i].Extension);
            }
        }
    }

    /// <summary>Every attachment inspected: the attachment and every file inside it, with their text.</summary>
    public static IEnumerable<InspectedFile> Inspected(EvaluationScope scope)
    {
        foreach (var inspection in Inspections(scope))
        {
            foreach (var file in inspection.Files)
            {
                yield return file;
            }
        }
    }

    /// <summary>The inspection of every attachment, in document order.</summary>
    public static IEnumerable<AttachmentInspection> Inspections(EvaluationScope scope)
    {
        foreach (var attachment in scope.Message.Attachments)
        {
            yield return attachment.Inspect(scope.Settings.AttachmentScanLimitBytes);
        }
    }
}
