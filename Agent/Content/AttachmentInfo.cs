using System;
using System.Collections.Generic;
using System.IO;
using ExchangeEncryptionAgent.Content.Attachments;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// One attachment: a MIME leaf part marked as attachment or carrying a file name, or an attached message. Sizes and
/// text are computed on first use and cached (a message is evaluated by one thread at a time).
/// </summary>
public sealed class AttachmentInfo
{
    // Text-like attachments AttachmentContainsWords reads: text/* and structured text. Office documents, PDF and
    // archives are containers, not text; scanning them needs extraction this agent does not do.
    private static readonly HashSet<string> TextMediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/json", "application/xml", "application/csv", "application/x-sh", "application/javascript",
        "application/ics", "message/delivery-status", "message/disposition-notification",
    };

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "txt", "csv", "tsv", "log", "xml", "json", "md", "htm", "html", "ics", "vcf", "ini", "cfg", "yaml", "yml",
    };

    private readonly MimeEntity _entity;
    private long? _encodedSize;
    private long? _decodedSize;
    private long _textLimit = -1;
    private string _text = string.Empty;
    private AttachmentInspection? _inspection;
    private long _inspectionLimit = -1;

    private readonly TemporaryFileFactory _temporaryFiles;

    internal AttachmentInfo(MimeEntity entity, TemporaryFileFactory temporaryFiles)
    {
        _entity = entity;
        _temporaryFiles = temporaryFiles;
        FileName = entity switch
        {
            MimePart part => part.FileName,
            _ => entity.ContentDisposition?.FileName ?? entity.ContentType.Name,
        };
        ContentType = entity.ContentType.MimeType.ToLowerInvariant();
        Extension = FileNames.Extension(FileName);
        IsTextLike = entity is MimePart
            && (entity.ContentType.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase)
                || TextMediaTypes.Contains(ContentType)
                || ContentType.EndsWith("+xml", StringComparison.Ordinal)
                || ContentType.EndsWith("+json", StringComparison.Ordinal)
                || (ContentType == "application/octet-stream" && TextExtensions.Contains(Extension)));
    }

    /// <summary>The file name (Content-Disposition filename, else Content-Type name); null when there is none.</summary>
    public string? FileName { get; }

    /// <summary>The extension of <see cref="FileName"/> without the dot, lower case; empty when none.</summary>
    public string Extension { get; }

    /// <summary>The media type, lower case (for example application/pdf).</summary>
    public string ContentType { get; }

    /// <summary>True when AttachmentContainsWords reads this attachment's text.</summary>
    public bool IsTextLike { get; }

    /// <summary>Size of the content as transferred (before base64 or quoted-printable decoding); an upper bound of the decoded size.</summary>
    public long EncodedSize => _encodedSize ??= ComputeEncodedSize();

    /// <summary>Size after transfer decoding (decodes the content once, streaming, without keeping it).</summary>
    public long DecodedSize => _decodedSize ??= ComputeDecodedSize();

    /// <summary>
    /// True for attachments that hold other files: attached messages and zip archives (by media type or extension).
    /// Name and extension conditions open these; other attachments are named by themselves.
    /// </summary>
    public bool IsContainer
        => _entity is MessagePart
           || Extension is "zip"
           || ContentType is "application/zip" or "application/x-zip-compressed" or "application/x-zip" or "message/rfc822";

    /// <summary>
    /// The attachment inspected (<see cref="AttachmentInspector"/>): its text and the names, extensions and text of
    /// every file inside it, keeping <paramref name="textLimitChars"/> characters of text per file. Done once.
    /// </summary>
    internal AttachmentInspection Inspect(long textLimitChars)
    {
        if (_inspection is null || _inspectionLimit != textLimitChars)
        {
            _inspection = AttachmentInspector.Inspect(_entity, FileName, textLimitChars, _temporaryFiles);
            _inspectionLimit = textLimitChars;
        }

        return _inspection;
    }

    /// <summary>The decoded text of the first <paramref name="limitBytes"/> bytes (HTML read as text); empty for non-text.</summary>
    public string GetText(long limitBytes)
    {
        if (!IsTextLike || _entity is not MimePart part)
        {
            return string.Empty;
        }

        if (_textLimit != limitBytes)
        {
            var raw = TextDecoding.Decode(part, limitBytes, out _);
            _text = ContentType is "text/html" ? HtmlText.ToText(raw) : raw;
            _textLimit = limitBytes;
        }

        return _text;
    }

    private long ComputeEncodedSize()
    {
        try
        {
            if (_entity is MimePart { Content: not null } part)
            {
                var stream = part.Content.Stream;
                if (stream is { CanSeek: true })
                {
                    return stream.Length;
                }
            }

            return ComputeDecodedSize();
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException)
        {
            return 0;
        }
    }

    private long ComputeDecodedSize()
    {
        var counter = new CountingStream();
        try
        {
            switch (_entity)
            {
                case MimePart { Content: not null } part:
                    part.Content.DecodeTo(counter);
                    break;
                case MessagePart { Message: not null } message:
                    message.Message.WriteTo(counter);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException or NotSupportedException or ObjectDisposedException or InvalidOperationException)
        {
            // What could be decoded counts; a truncated part is as large as what it yielded.
        }

        return counter.Length;
    }

    /// <summary>A write-only sink that only counts bytes.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
