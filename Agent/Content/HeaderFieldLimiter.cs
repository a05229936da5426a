using System.IO;
using MimeKit.IO;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Keeps MimeKit's parser linear on hostile header blocks. MimeKit grows its header buffer in fixed steps while it
/// reads one header field, so a single huge field (one 8 MB line, or 8 MB of folded continuation lines) costs time
/// quadratic in its size: minutes for 8 MB. Rules never see more than
/// <see cref="MessageContextLimits.MaxHeaderValueChars"/> of a value, so every field of the top-level header block is
/// cut at <see cref="MaxFieldBytes"/> before MimeKit reads it, and the rewritten block is bounded as a whole. The
/// body is not copied: the parser sees the rewritten header block chained to a bounded view of the original stream.
/// When no field is too long (all real mail), the original stream is parsed as it is, after one linear scan of the
/// header block.
/// </summary>
internal static class HeaderFieldLimiter
{
    /// <summary>Raw bytes kept of one header field: the value limit plus room for the name and folding.</summary>
    public const int MaxFieldBytes = MessageContextLimits.MaxHeaderValueChars + 4096;

    /// <summary>The rewritten header block never grows beyond this; later fields are dropped.</summary>
    public const int MaxRewrittenBlockBytes = 16 * 1024 * 1024;

    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Returns a stream positioned at its start that MimeKit can parse in time linear in the message size: either
    /// <paramref name="stream"/> itself (positioned at <paramref name="start"/>) or a chained, copy-free view.
    /// </summary>
    public static Stream ForParsing(Stream stream, long start)
    {
        stream.Position = start;
        var (headerEnd, tooLong) = Walk(stream, output: null);
        stream.Position = start;
        if (!tooLong)
        {
            return stream;
        }

        var header = new MemoryStream();
        Walk(stream, header);
        header.Position = 0;
        var chained = new ChainedStream();
        chained.Add(header, leaveOpen: false);
        chained.Add(new BoundStream(stream, headerEnd, -1, leaveOpen: true), leaveOpen: false);
        return chained;
    }

    /// <summary>
    /// One pass over the header block, up to and including the first empty line (or the end of the stream). A field's
    /// length counts its continuation lines (RFC 5322 §2.2.3: a line starting with space or tab continues the field).
    /// With <paramref name="output"/>, writes the block with every field cut at MaxFieldBytes; a line cut away whole is
    /// left out with its line break, so the cut never forges the empty line that ends the block.
    /// </summary>
    private static (long HeaderEnd, bool TooLong) Walk(Stream stream, MemoryStream? output)
    {
        var origin = stream.Position;
        var buffer = new byte[BufferSize];
        long position = origin;
        long fieldLength = 0;
        var lineLength = 0;
        var lineWritten = 0;
        var atLineStart = true;
        var tooLong = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                position++;
                if (atLineStart)
                {
                    atLineStart = false;
                    lineLength = 0;
                    lineWritten = 0;
                    if (b != (byte)' ' && b != (byte)'\t')
                    {
                        fieldLength = 0;
                    }
                }

                if (b == (byte)'\n')
                {
                    atLineStart = true;
                    if (lineLength == 0)
                    {
                        output?.Write(new[] { (byte)'\r', (byte)'\n' }, 0, 2);
                        return (position, tooLong);
                    }

                    if (lineWritten > 0)
                    {
                        output?.WriteByte(b);
                    }

                    continue;
                }

                if (b != (byte)'\r')
                {
                    lineLength++;
                    fieldLength++;
                }

                if (fieldLength <= MaxFieldBytes && (output is null || output.Length < MaxRewrittenBlockBytes || lineWritten > 0))
                {
                    if (b != (byte)'\r')
                    {
                        lineWritten++;
                    }

                    if (b != (byte)'\r' || lineWritten > 0)
                    {
                        output?.WriteByte(b);
                    }
                }
                else
                {
                    tooLong = true;
                }
            }
        }

        output?.Write(new[] { (byte)'\r', (byte)'\n' }, 0, 2);
        return (position, tooLong);
    }
}
