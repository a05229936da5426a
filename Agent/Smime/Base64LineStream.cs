using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Write-only stream that base64-encodes into lines of 76 characters ended by CRLF (RFC 2045 §6.8), in large
/// blocks so the encoder runs vectorised; Convert.ToBase64String with line breaks is several times slower.
/// <see cref="Complete"/> writes the final, padded line. The underlying stream stays open. The three buffers (about
/// 100 KB) are borrowed from the shared pool and given back by <see cref="Complete"/>, so a small message does not
/// allocate them (garbage collection was a tenth of the small-message profile).
/// </summary>
internal sealed class Base64LineStream : WriteOnlyStream
{
    private const int BytesPerLine = 57;
    private const int CharactersPerLine = 76;
    private const int LinesPerBlock = 512;
    private const int InputBlockSize = BytesPerLine * LinesPerBlock;

    private readonly Stream _output;
    private readonly byte[] _input = ArrayPool<byte>.Shared.Rent(InputBlockSize);
    private readonly byte[] _encoded = ArrayPool<byte>.Shared.Rent(CharactersPerLine * LinesPerBlock);
    private readonly byte[] _lines = ArrayPool<byte>.Shared.Rent((CharactersPerLine + 2) * LinesPerBlock);
    private int _inputCount;
    private int _inputUsed;
    private bool _completed;

    public Base64LineStream(Stream output)
    {
        _output = Guard.NotNull(output);
    }

    public override bool CanWrite => !_completed;

    public override void Write(byte[] buffer, int offset, int count)
    {
        Guard.NotNull(buffer);
        Write(new ReadOnlySpan<byte>(buffer, offset, count));
    }

#if NET
    public override void Write(ReadOnlySpan<byte> buffer)
#else
    public void Write(ReadOnlySpan<byte> buffer)
#endif
    {
        if (_completed)
        {
            throw new InvalidOperationException("The base64 stream is already complete.");
        }

        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, InputBlockSize - _inputCount);
            buffer.Slice(0, take).CopyTo(new Span<byte>(_input, _inputCount, take));
            _inputCount += take;
            _inputUsed = Math.Max(_inputUsed, _inputCount);
            buffer = buffer.Slice(take);
            if (_inputCount == InputBlockSize)
            {
                EncodeInput();
            }
        }
    }

    public override void WriteByte(byte value)
    {
        Span<byte> one = stackalloc byte[1];
        one[0] = value;
        Write(one);
    }

    /// <summary>Encodes what is left (with padding) and ends the last line with CRLF. Idempotent.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        EncodeInput();
        _completed = true;

        // The input may be plain content (a signed entity): cleared before another user of the pool sees it.
        Array.Clear(_input, 0, _inputUsed);
        ArrayPool<byte>.Shared.Return(_input);
        ArrayPool<byte>.Shared.Return(_encoded);
        ArrayPool<byte>.Shared.Return(_lines);
        _output.Flush();
    }

    public override void Flush() => _output.Flush();

    private void EncodeInput()
    {
        if (_inputCount == 0)
        {
            return;
        }

        var status = Base64.EncodeToUtf8(new ReadOnlySpan<byte>(_input, 0, _inputCount), _encoded, out _, out var written);
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

        _output.Write(_lines, 0, target);
        _inputCount = 0;
    }
}
