using System;
using System.Buffers;
using System.IO;
using MimeKit.IO;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// Keeps MimeKit's parser from building more parts than the engine examines. MimeKit has no limit on the number of
/// parts, and each costs it tens of microseconds (8 MB of ten-byte parts: seconds), all before
/// <see cref="MessageStructure"/> would stop at <see cref="MessageContextLimits.MaxMimeParts"/>. Every boundary
/// delimiter is a line that starts with "--", so one forward pass counts such lines; past the limit the parser sees
/// the message only up to the start of the first line too many (a copy-free bounded view), and the caller marks the
/// content unreadable, so rules that need the rest get a rule error. A line of text that starts with "--" counts too:
/// the count can only be too high, which errs towards the rule error, never towards a part silently unseen.
/// </summary>
internal static class DelimiterLineLimiter
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>A line break and the two dashes that start a delimiter line (vectorised search: no byte loop).</summary>
    private static readonly byte[] LineOfDashes = { (byte)'\n', (byte)'-', (byte)'-' };

    /// <summary>
    /// Returns <paramref name="stream"/> (positioned where it was) when it holds at most
    /// <see cref="MessageContextLimits.MaxMimeParts"/> lines starting with "--", else a bounded view of it that ends
    /// before the first line too many, positioned at the same start.
    /// </summary>
    public static Stream Bound(Stream stream, out bool cut)
    {
        cut = false;
        var start = stream.Position;
        // Pooled and no larger than the message: planning a 10 KB message allocated 64 KiB here, a third of what it
        // allocated in all.
        var chunk = (int)Math.Max(1, Math.Min(ChunkSize, stream.Length - start));
        var buffer = ArrayPool<byte>.Shared.Rent(chunk + LineOfDashes.Length);
        var used = 0;
        try
        {
            var lines = 0;
            var kept = 0; // the last bytes of the previous chunk, so a match across chunks is found once
            var bufferOffset = start; // stream offset of buffer[0]
            int read;
            while ((read = stream.Read(buffer, kept, chunk)) > 0)
            {
                var span = new ReadOnlySpan<byte>(buffer, 0, kept + read);
                used = Math.Max(used, span.Length);
                var from = 0;
                int hit;
                while ((hit = span.Slice(from).IndexOf(LineOfDashes)) >= 0)
                {
                    var lineStart = from + hit + 1;
                    if (++lines > MessageContextLimits.MaxMimeParts)
                    {
                        cut = true;
                        stream.Position = start;
                        return new BoundStream(stream, start, bufferOffset + lineStart, leaveOpen: true);
                    }

                    from = lineStart;
                }

                kept = Math.Min(LineOfDashes.Length - 1, span.Length);
                bufferOffset += span.Length - kept;
                Array.Copy(buffer, span.Length - kept, buffer, 0, kept);
            }

            stream.Position = start;
            return stream;
        }
        finally
        {
            // The buffer held message text: cleared before another user of the pool gets it.
            Array.Clear(buffer, 0, used);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
