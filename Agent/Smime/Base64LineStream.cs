using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Write-only stream that base64-encodes into lines of 76 characters ended by CRLF (RFC 2045 §6.8), in large
/// blocks so the encoder runs vectorised; Convert.ToBase64String with line breaks is several times slower.
/// <see cref="Complete"/> writes the final, padded line. The underlying stream stays open.
/// </summary>
internal sealed class Base64LineStream : WriteOnlyStream
{
    private const int BytesPerLine = 57;
    private const int CharactersPerLine = 76;
    private const int LinesPerBlock = 512;
    private const int InputBlockSize = BytesPerLine * LinesPerBlock;

    private readonly Stream _output;
    private readonly byte[] _input = new byte[InputBlockSize];
    private readonly byte[] _encoded = new byte[CharactersPerLine * LinesPerBlock];
    private readonly byte[] _lines = new byte[(CharactersPerLine + 2) * LinesPerBlock];
    private int _inputCount;
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
