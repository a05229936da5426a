using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Write-only stream that base64-encodes into lines of 76 characters ended by CRLF (RFC 2045 §6.8), in large
/// blocks so the encoder runs vectorised; Convert.ToBase64String with line breaks is several times slower.
/// <see cref="Complete"/> writes the final, padded line. The underlying stream stays open. The three buffers (about
/// 200 KB) are borrowed from the shared pool and given back by <see cref="Complete"/>, so a small message does not
/// allocate them (garbage collection was a tenth of the small-message profile); one that fails before its end leaves
/// them to the collector. A block of output (1,024 lines, 78 KiB) is larger than a spool file's 64 KiB write buffer,
/// so the file stream writes it straight through instead of copying it into that buffer first.
/// </summary>
internal sealed class Base64LineStream : BlockWriteStream
{
    private const int BytesPerLine = 57;
    private const int CharactersPerLine = 76;
    private const int LinesPerBlock = 1024;
    private const int InputBlockSize = BytesPerLine * LinesPerBlock;

    private readonly Stream _output;
    private readonly byte[] _encoded = ArrayPool<byte>.Shared.Rent(CharactersPerLine * LinesPerBlock);
    private readonly byte[] _lines = ArrayPool<byte>.Shared.Rent((CharactersPerLine + 2) * LinesPerBlock);

    /// <summary>How much of <see cref="_encoded"/> and <see cref="_lines"/> ever held output (cleared before they go back).</summary>
    private int _encodedUsed;
    private int _linesUsed;

    public Base64LineStream(Stream output)
        : base(InputBlockSize)
    {
        _output = Guard.NotNull(output);
    }

    /// <summary>Encodes what is left (with padding) and ends the last line with CRLF. Idempotent.</summary>
    public void Complete()
    {
        if (Finish(EncodeInput))
        {
            // What they held is the encoding of the content (plain text, when the content is a signed entity).
            Array.Clear(_encoded, 0, _encodedUsed);
            Array.Clear(_lines, 0, _linesUsed);
            ArrayPool<byte>.Shared.Return(_encoded);
            ArrayPool<byte>.Shared.Return(_lines);
            _output.Flush();
        }
    }

    public override void Flush() => _output.Flush();

    protected override void WriteBlock(byte[] block, int count) => EncodeInput(block, count);

    private void EncodeInput(byte[] input, int count)
    {
        if (count == 0)
        {
            return;
        }

        var status = Base64.EncodeToUtf8(new ReadOnlySpan<byte>(input, 0, count), _encoded, out _, out var written);
        if (status != OperationStatus.Done)
        {
            throw new InvalidOperationException("base64 encoding failed: " + status);
        }

        var target = 0;
        for (var source = 0; source < written; source += CharactersPerLine)
        {
            var length = Math.Min(CharactersPerLine, written - source);
            Buffer.BlockCopy(_encoded, source, _lines, target, length);
            target += length;
            _lines[target++] = (byte)'\r';
            _lines[target++] = (byte)'\n';
        }

        _encodedUsed = Math.Max(_encodedUsed, written);
        _linesUsed = Math.Max(_linesUsed, target);
        _output.Write(_lines, 0, target);
    }
}
