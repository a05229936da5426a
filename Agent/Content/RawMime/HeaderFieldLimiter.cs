using System.IO;
using MimeKit.IO;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// Keeps MimeKit's parser linear on hostile header blocks. MimeKit grows its header buffer in fixed steps while it
/// reads one header field, so a single huge field (one 8 MB line, or 8 MB of folded continuation lines) costs time
/// quadratic in its size: minutes for 8 MB. Rules never see more than
/// <see cref="MessageContextLimits.MaxHeaderValueChars"/> of a value, so every field of the top-level header block is
/// cut at <see cref="MaxFieldBytes"/> before MimeKit reads it. The block is read by <see cref="RawHeaderBlock"/> (the
/// same end, the same size limit as every other raw reader); the body is not copied: the parser sees the rewritten
/// header block chained to a bounded view of the original stream. When no field is too long (all real mail), the
/// original stream is parsed as it is. A block of more than <see cref="MessageContextLimits.MaxIndexedHeaders"/> fields
/// is thinned the same way: header conditions never see the later fields, and MimeKit spent tens of microseconds on
/// each of them (8 MB of 12-byte fields: seconds).
/// </summary>
internal static class HeaderFieldLimiter
{
    /// <summary>Raw bytes kept of one header field: the value limit plus room for the name and folding.</summary>
    public const int MaxFieldBytes = MessageContextLimits.MaxHeaderValueChars + 4096;

    /// <summary>
    /// Returns a stream positioned at its start that MimeKit can parse in time linear in the message size: either
    /// <paramref name="stream"/> itself (positioned at <paramref name="start"/>) or a chained, copy-free view.
    /// </summary>
    /// <param name="stream">The whole message, seekable.</param>
    /// <param name="start">Where the message starts in <paramref name="stream"/>.</param>
    /// <param name="fieldsPastIndex">Set when the block has more fields than header conditions see.</param>
    /// <exception cref="MessageHeaderTooLargeException">The header block exceeds <see cref="RawHeaderBlock.MaxBytes"/>.</exception>
    public static Stream ForParsing(Stream stream, long start, out bool fieldsPastIndex)
    {
        var block = RawHeaderBlock.Read(stream, start, stream.Length);
        stream.Position = start;
        fieldsPastIndex = block.Fields.Count > MessageContextLimits.MaxIndexedHeaders;
        if (!HasLongField(block) && block.Fields.Count <= MessageContextLimits.MaxIndexedHeaders)
        {
            return stream;
        }

        var header = new MemoryStream();
        for (var i = 0; i < block.Fields.Count; i++)
        {
            var field = block.Fields[i];
            if (i < MessageContextLimits.MaxIndexedHeaders || ShapesTheMessage(field))
            {
                WriteCut(header, field.Raw);
            }
        }

        var separator = block.Separator.Length > 0 ? block.Separator : new[] { (byte)'\r', (byte)'\n' };
        header.Write(separator, 0, separator.Length);
        header.Position = 0;
        var chained = new ChainedStream();
        chained.Add(header, leaveOpen: false);
        chained.Add(new BoundStream(stream, block.BodyOffset, -1, leaveOpen: true), leaveOpen: false);
        return chained;
    }

    /// <summary>
    /// Fields past <see cref="MessageContextLimits.MaxIndexedHeaders"/> that still reach the parser: those that decide
    /// the MIME structure (Content-*, MIME-Version) and the addresses and subject the engine reads through MimeKit
    /// rather than through the header index. Dropping them would change what the message is, not just which header
    /// fields conditions see; every other field there is one no condition can see anyway.
    /// </summary>
    private static bool ShapesTheMessage(RawHeaderField field)
        => field.IsEntityField || field.IsMimeVersion || field.Is("From") || field.Is("Sender") || field.Is("To") || field.Is("Cc") || field.Is("Subject");

    private static bool HasLongField(RawHeaderBlock block)
    {
        foreach (var field in block.Fields)
        {
            if (field.Raw.Length > MaxFieldBytes)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Writes the first MaxFieldBytes of a field and a line break. Line breaks at the cut are dropped before the one we
    /// add, so the cut never forges the empty line that ends the block; what remains of a cut continuation line still
    /// starts with its blank and stays a continuation.
    /// </summary>
    private static void WriteCut(Stream output, byte[] raw)
    {
        if (raw.Length <= MaxFieldBytes)
        {
            output.Write(raw, 0, raw.Length);
            return;
        }

        var length = MaxFieldBytes;
        while (length > 0 && raw[length - 1] is (byte)'\r' or (byte)'\n')
        {
            length--;
        }

        output.Write(raw, 0, length);
        output.Write(new[] { (byte)'\r', (byte)'\n' }, 0, 2);
    }
}
