using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Exchange.Data.Transport.Email;

namespace ExchangeApi.Simulator;

// The few things EmailMessage reports, read from the top-level header block only (never the body), so a message of any
// size costs at most MaxHeaderBytes of memory. Not a MIME parser: enough to classify the message as Exchange does.
internal sealed partial class MessageFacts
{
    private const int MaxHeaderBytes = 1024 * 1024;

    private MessageFacts(string subject, string messageId, string mediaType, IReadOnlyDictionary<string, string> contentTypeParameters)
    {
        Subject = subject;
        MessageId = messageId;
        MediaType = mediaType;
        IsSystemMessage = mediaType == "multipart/report";
        SecurityType = Classify(mediaType, contentTypeParameters);
    }

    public string Subject { get; }

    public string MessageId { get; }

    // Lower-case "type/subtype"; "text/plain" when there is no Content-Type (RFC 2045 default).
    public string MediaType { get; }

    // NDR, DSN, MDN: top-level multipart/report.
    public bool IsSystemMessage { get; }

    public MessageSecurityType SecurityType { get; }

    public bool IsOpaque => SecurityType is MessageSecurityType.OpaqueSigned or MessageSecurityType.Encrypted;

    public static MessageFacts Read(ContentFile content)
    {
        using var stream = content.OpenRead();
        return Parse(ReadHeaderBlock(stream));
    }

    public static MessageFacts Parse(string headerBlock)
    {
        var headers = Unfold(headerBlock);
        headers.TryGetValue("subject", out var subject);
        headers.TryGetValue("message-id", out var messageId);
        headers.TryGetValue("content-type", out var contentType);
        var (mediaType, parameters) = ParseContentType(contentType);
        return new MessageFacts(EncodedWords.Decode(subject ?? string.Empty).Trim(), (messageId ?? string.Empty).Trim(), mediaType, parameters);
    }

    private static MessageSecurityType Classify(string mediaType, IReadOnlyDictionary<string, string> parameters)
    {
        switch (mediaType)
        {
            case "multipart/signed":
                return MessageSecurityType.ClearSigned;
            case "multipart/encrypted":
                return MessageSecurityType.Encrypted;
            case "application/pkcs7-mime":
            case "application/x-pkcs7-mime":
                parameters.TryGetValue("smime-type", out var smimeType);
                return string.Equals(smimeType, "signed-data", StringComparison.OrdinalIgnoreCase)
                    ? MessageSecurityType.OpaqueSigned
                    : MessageSecurityType.Encrypted;
            default:
                return MessageSecurityType.None;
        }
    }

    // Bytes up to the first empty line. UTF-8 when valid (RFC 6532 headers), otherwise Latin-1 so no byte is lost.
    private static string ReadHeaderBlock(Stream stream)
    {
        var buffer = new MemoryStream();
        var previous = -1;
        var lineLength = 0;
        int b;
        while (buffer.Length < MaxHeaderBytes && (b = stream.ReadByte()) >= 0)
        {
            if (b == '\n')
            {
                if (lineLength == 0 || (lineLength == 1 && previous == '\r'))
                {
                    break;
                }

                lineLength = 0;
            }
            else
            {
                lineLength++;
            }

            buffer.WriteByte((byte)b);
            previous = b;
        }

        var bytes = buffer.ToArray();
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    // Header name (lower case) to its first unfolded value.
    private static Dictionary<string, string> Unfold(string block)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var value = new StringBuilder();
        foreach (var rawLine in block.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                value.Append(line);
                continue;
            }

            Flush(headers, name, value);
            name = null;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                name = line[..colon].Trim().ToLowerInvariant();
                value.Append(line.AsSpan(colon + 1));
            }
        }

        Flush(headers, name, value);
        return headers;
    }

    private static void Flush(Dictionary<string, string> headers, string? name, StringBuilder value)
    {
        if (name is not null)
        {
            headers.TryAdd(name, value.ToString());
        }

        value.Clear();
    }

    private static (string MediaType, IReadOnlyDictionary<string, string> Parameters) ParseContentType(string? value)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(value))
        {
            return ("text/plain", parameters);
        }

        var parts = Comments().Replace(value, string.Empty).Split(';');
        var mediaType = parts[0].Trim().ToLowerInvariant();
        for (var i = 1; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parameters.TryAdd(parts[i][..equals].Trim(), parts[i][(equals + 1)..].Trim().Trim('"'));
            }
        }

        return (mediaType.Contains('/', StringComparison.Ordinal) ? mediaType : "text/plain", parameters);
    }

    [GeneratedRegex(@"\([^()]*\)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Comments();
}
