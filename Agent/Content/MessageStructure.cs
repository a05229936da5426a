using System;
using System.Collections.Generic;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// What one walk over the MIME tree finds: body parts, attachments, message type. Iterative (no recursion). TNEF parts
/// are opened (<see cref="TnefContent"/>) and walked as if their content were MIME; the structure owns what they yield.
/// </summary>
internal sealed class MessageStructure : IDisposable
{
    private List<TnefContent>? _tnef;
    private TemporaryFileFactory _temporaryFiles = TemporaryFileFactory.InMemory;

    public static readonly MessageStructure Empty = new();

    public List<MimePart> BodyParts { get; } = new();

    public List<AttachmentInfo> Attachments { get; } = new();

    public MessageTypes Types { get; private set; }

    public bool NestingLimitReached { get; private set; }

    public bool ContainsTnef { get; private set; }

    public MessageSensitivity? TnefSensitivity { get; private set; }

    public string? UnreadableContent { get; private set; }

    public void Dispose()
    {
        if (_tnef is null)
        {
            return;
        }

        foreach (var content in _tnef)
        {
            content.Dispose();
        }

        _tnef = null;
    }

    public static MessageStructure Walk(MimeMessage message, TemporaryFileFactory temporaryFiles)
    {
        var structure = new MessageStructure { _temporaryFiles = temporaryFiles };
        var body = message.Body;
        if (body is null)
        {
            return structure;
        }

        structure.Types = EncryptedContentClassifier.Classify(body);
        if (body is MultipartReport report)
        {
            var reportType = report.ReportType ?? string.Empty;
            if (reportType.Equals("delivery-status", StringComparison.OrdinalIgnoreCase))
            {
                structure.Types |= MessageTypes.EeaDeliveryReport;
            }
            else if (reportType.Equals("disposition-notification", StringComparison.OrdinalIgnoreCase))
            {
                structure.Types |= MessageTypes.ReadReceipt;
            }
        }

        // Each entry carries its TNEF depth: 0 for the message's own MIME, n inside the n-th nested TNEF.
        var stack = new Stack<(MimeEntity Entity, int TnefDepth)>();
        stack.Push((body, 0));
        var examined = 0;
        while (stack.Count > 0)
        {
            if (++examined > MessageContextLimits.MaxMimeParts)
            {
                // What lies past the limit cannot answer a condition: rules that need it get a rule error.
                structure.UnreadableContent ??= "more than " + MessageContextLimits.MaxMimeParts + " MIME parts";
                break;
            }

            var (entity, depth) = stack.Pop();
            switch (entity)
            {
                case Multipart multipart:
                    // Children past the limit would never be examined: the stack holds no more than it can use.
                    var children = Math.Min(multipart.Count, MessageContextLimits.MaxMimeParts);
                    for (var i = children - 1; i >= 0; i--)
                    {
                        stack.Push((multipart[i], depth));
                    }

                    break;
                case MessagePart attached:
                    structure.Attachments.Add(new AttachmentInfo(attached, structure._temporaryFiles));
                    break;
                case MimePart part when TnefContent.IsTnef(part):
                    if (structure.OpenTnef(part, depth)?.Body is { } converted)
                    {
                        stack.Push((converted, depth + 1));
                    }

                    break;
                case MimePart part:
                    structure.Classify(part);
                    break;
            }
        }

        return structure;
    }

    /// <summary>Records why part of the message was not examined (the first reason stays).</summary>
    public void MarkUnreadable(string reason) => UnreadableContent ??= reason;

    /// <summary>Opens a TNEF part; returns its content as MIME, or null (then winmail.dat counts as an attachment).</summary>
    private MimeMessage? OpenTnef(MimePart part, int depth)
    {
        ContainsTnef = true;
        _tnef ??= new List<TnefContent>();
        if (depth >= MessageContextLimits.MaxTnefDepth || _tnef.Count >= MessageContextLimits.MaxTnefParts)
        {
            UnreadableContent ??= "TNEF nested deeper than " + MessageContextLimits.MaxTnefDepth + " levels or more than " + MessageContextLimits.MaxTnefParts + " TNEF parts";
            Attachments.Add(new AttachmentInfo(part, _temporaryFiles));
            return null;
        }

        var content = TnefContent.Read(part);
        _tnef.Add(content);
        if (content.Message is null)
        {
            UnreadableContent ??= content.Error;
            Attachments.Add(new AttachmentInfo(part, _temporaryFiles));
            return null;
        }

        if (content.IsCalendaring)
        {
            Types |= MessageTypes.Calendaring;
        }

        if (depth == 0 && content.Sensitivity is { } sensitivity)
        {
            TnefSensitivity ??= sensitivity;
        }

        return content.Message;
    }

    private void Classify(MimePart part)
    {
        var type = part.ContentType;
        if (type.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            // MimeKit stopped at MaxMimeDepth and kept the rest as an opaque leaf: what lies below cannot answer a
            // condition, so rules that need it get a rule error (RuleErrorAction), not a silent "no match".
            NestingLimitReached = true;
            UnreadableContent ??= "MIME nested deeper than " + MessageContextLimits.MaxMimeDepth + " levels";
            return;
        }

        Types |= CalendarOrRightsManaged(part);

        var isBodyText = !part.IsAttachment && part.FileName is null
            && (type.IsMimeType("text", "plain") || type.IsMimeType("text", "html"));
        if (isBodyText)
        {
            BodyParts.Add(part);
        }
        else if (part.IsAttachment || part.FileName is not null)
        {
            Attachments.Add(new AttachmentInfo(part, _temporaryFiles));
        }
    }

    /// <summary>
    /// Calendaring is Exchange's "meeting requests and responses": a calendar body part that carries an iTIP method
    /// other than PUBLISH. An attached .ics file (a part with a file name or marked as attachment) is a file, not a
    /// meeting request. PermissionControlled: the rights-managed payload (message.rpmsg) of an IRM message.
    /// </summary>
    private static MessageTypes CalendarOrRightsManaged(MimePart part)
    {
        var type = part.ContentType;
        if (type.IsMimeType("application", "x-microsoft-rpmsg-message")
            || string.Equals(part.FileName, "message.rpmsg", StringComparison.OrdinalIgnoreCase))
        {
            return MessageTypes.PermissionControlled;
        }

        if (!type.IsMimeType("text", "calendar") || part.IsAttachment || part.FileName is not null)
        {
            return MessageTypes.None;
        }

        var method = type.Parameters["method"];
        return method is null || method.Trim().Length == 0 || method.Trim().Equals("PUBLISH", StringComparison.OrdinalIgnoreCase)
            ? MessageTypes.None
            : MessageTypes.Calendaring;
    }
}
