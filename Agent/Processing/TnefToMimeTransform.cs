using System.Collections.Generic;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using MimeKit;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Converts Summary-TNEF to MIME before a copy is signed or encrypted (&lt;TnefHandling&gt;ConvertToMime): each
/// application/ms-tnef part (winmail.dat) is replaced by what it holds, the body as text/plain or text/html and each
/// attachment as a MIME part; embedded Outlook items become message/rfc822 attachments. A partner's client, which
/// cannot read TNEF, then sees the mail as it was written. Outer headers stay as they are, except
/// X-MS-TNEF-Correlator, which names a TNEF part that no longer exists.
/// </summary>
internal sealed class TnefToMimeTransform : IMessageTransform
{
    /// <inheritdoc />
    public string Name => "tnef-to-mime";

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Guard.NotNull(destination);
        cancellationToken.ThrowIfCancellationRequested();
        var owned = new List<TnefContent>();
        try
        {
            MimeMessage message;
            try
            {
                message = MimeMessage.Load(new ParserOptions { MaxMimeDepth = MessageContextLimits.MaxMimeDepth }, source, persistent: true, cancellationToken);
            }
            catch (System.FormatException ex)
            {
                throw new MessageTransformException("The message could not be parsed for TNEF conversion.", ex);
            }

            using (message)
            {
                if (message.Body is { } body)
                {
                    message.Body = Replace(body, 0, owned, embedded: false);
                }

                message.Headers.Remove("X-MS-TNEF-Correlator");
                var format = FormatOptions.Default.Clone();
                format.NewLineFormat = NewLineFormat.Dos;
                message.WriteTo(format, destination, cancellationToken);
            }
        }
        finally
        {
            foreach (var content in owned)
            {
                content.Dispose();
            }
        }
    }

    /// <summary>
    /// The entity with every TNEF part inside it converted. Iterative over multiparts; recursion only through nested
    /// TNEF, which <see cref="MessageContextLimits.MaxTnefDepth"/> bounds.
    /// </summary>
    private static MimeEntity Replace(MimeEntity entity, int depth, List<TnefContent> owned, bool embedded)
    {
        if (entity is MimePart root && TnefContent.IsTnef(root))
        {
            return Convert(root, depth, owned, embedded);
        }

        var stack = new Stack<Multipart>();
        if (entity is Multipart top)
        {
            stack.Push(top);
        }

        while (stack.Count > 0)
        {
            var multipart = stack.Pop();
            for (var i = 0; i < multipart.Count; i++)
            {
                switch (multipart[i])
                {
                    case Multipart child:
                        stack.Push(child);
                        break;
                    case MimePart part when TnefContent.IsTnef(part):
                        multipart[i] = Convert(part, depth, owned, embedded: depth > 0);
                        break;
                }
            }
        }

        return entity;
    }

    private static MimeEntity Convert(MimePart part, int depth, List<TnefContent> owned, bool embedded)
    {
        if (depth >= MessageContextLimits.MaxTnefDepth || owned.Count >= MessageContextLimits.MaxTnefParts)
        {
            throw new MessageTransformException($"The TNEF content is nested deeper than {MessageContextLimits.MaxTnefDepth} levels or has more than {MessageContextLimits.MaxTnefParts} parts.");
        }

        var content = TnefContent.Read(part);
        owned.Add(content);
        if (content.Message is not { } converted)
        {
            throw new MessageTransformException("The TNEF content could not be converted: " + content.Error + ".");
        }

        var body = converted.Body is null
            ? new TextPart("plain") { Text = string.Empty }
            : Replace(converted.Body, depth + 1, owned, embedded: true);
        if (!embedded)
        {
            // The message's own Summary-TNEF: its content takes the place of winmail.dat under the outer headers.
            return body;
        }

        // An Outlook item attached inside TNEF (a forwarded mail, a contact): a message/rfc822 attachment.
        converted.Body = body;
        return new MessagePart("rfc822") { Message = converted, ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) };
    }
}
