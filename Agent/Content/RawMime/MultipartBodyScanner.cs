using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// Finds the body parts of a multipart entity by its boundary delimiters (RFC 2046 §5.1.1), as exact byte ranges.
/// The line break before a delimiter belongs to the delimiter, not to the part, which is what makes the first part
/// of a multipart/signed exactly the bytes that were signed (RFC 1847 §2.1). One forward pass; only the first bytes of
/// each line are ever held. Malformed bodies are read as MimeKit reads them: no delimiter, no part; no close delimiter,
/// the last part runs to the end; transport padding after a delimiter is allowed.
/// </summary>
internal static class MultipartBodyScanner
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Delimiter lines may carry trailing white space (transport padding); longer lines are content.</summary>
    private const int MaximumPadding = 256;

    /// <summary>The [start, end) ranges of the parts of <paramref name="multipart"/>, at most <paramref name="maximumParts"/>.</summary>
    public static IReadOnlyList<(long Start, long End)> FindParts(MimeSlice multipart, int maximumParts)
    {
        var parts = new List<(long, long)>();
        var boundary = multipart.ContentType.Boundary;
        if (string.IsNullOrEmpty(boundary))
        {
            return parts;
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var prefix = new byte[delimiter.Length + 2 + MaximumPadding + 2];
        var prefixLength = 0;
        long lineStart = multipart.BodyStart;
        long lineLength = 0;
        var previousLineBreak = 0;
        byte lastByte = 0;
        long partStart = -1;
        var buffer = new byte[ChunkSize];
        using var body = multipart.OpenBody();
        int read;
        while ((read = body.Read(buffer, 0, buffer.Length)) > 0)
        {
            var i = 0;
            while (i < read)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', i, read - i);
                var segmentEnd = newline < 0 ? read : newline + 1;
                var copy = Math.Min(segmentEnd - i, prefix.Length - prefixLength);
                Array.Copy(buffer, i, prefix, prefixLength, copy);
                prefixLength += copy;
                lineLength += segmentEnd - i;
                var beforeNewline = newline > i ? buffer[newline - 1] : lastByte;
                i = segmentEnd;
                lastByte = buffer[segmentEnd - 1];
                if (newline < 0)
                {
                    continue;
                }

                var kind = Classify(prefix, prefixLength, lineLength, delimiter);
                if (kind != DelimiterKind.None)
                {
                    if (partStart >= 0)
                    {
                        parts.Add((partStart, Math.Max(partStart, lineStart - previousLineBreak)));
                        if (parts.Count >= maximumParts)
                        {
                            return parts;
                        }
                    }

                    if (kind == DelimiterKind.Close)
                    {
                        return parts;
                    }

                    partStart = lineStart + lineLength;
                }

                previousLineBreak = lineLength >= 2 && beforeNewline == (byte)'\r' ? 2 : 1;
                lineStart += lineLength;
                lineLength = 0;
                prefixLength = 0;
            }
        }

        if (partStart >= 0)
        {
            // A last line without a line break may still be a delimiter, which ends the part before it. Without one the
            // close delimiter is missing, and the last part runs to the end of the body: MimeKit reads it so, and what
            // the evaluation sees as a part must be a part here too.
            var delimited = lineLength > 0 && Classify(prefix, prefixLength, lineLength, delimiter) != DelimiterKind.None;
            parts.Add((partStart, Math.Max(partStart, delimited ? lineStart - previousLineBreak : lineStart + lineLength)));
        }

        return parts;
    }

    private enum DelimiterKind
    {
        None,
        Part,
        Close,
    }

    private static DelimiterKind Classify(byte[] prefix, int prefixLength, long lineLength, byte[] delimiter)
    {
        if (lineLength > prefix.Length || prefixLength < delimiter.Length)
        {
            return DelimiterKind.None;
        }

        for (var i = 0; i < delimiter.Length; i++)
        {
            if (prefix[i] != delimiter[i])
            {
                return DelimiterKind.None;
            }
        }

        var position = delimiter.Length;
        var kind = DelimiterKind.Part;
        if (position + 1 < prefixLength && prefix[position] == (byte)'-' && prefix[position + 1] == (byte)'-')
        {
            kind = DelimiterKind.Close;
            position += 2;
        }

        // Only transport padding (space, tab) and the line break may follow (RFC 2046 §5.1.1).
        for (; position < prefixLength; position++)
        {
            if (prefix[position] is not (byte)' ' and not (byte)'\t' and not (byte)'\r' and not (byte)'\n')
            {
                return DelimiterKind.None;
            }
        }

        return kind;
    }
}
