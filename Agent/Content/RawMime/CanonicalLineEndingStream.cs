using System;
using System.IO;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// Reads a stream with every bare LF turned into CRLF: the canonical form a signature is computed over
/// (RFC 8551 §3.1.1). Mail stored with CRLF (what Exchange hands over) passes through unchanged.
/// </summary>
/// <remarks>
/// MimeKit's <c>Unix2DosFilter</c> in a <c>FilteredStream</c> converts the same way, but cannot tell whether it changed
/// anything; the signature check needs exactly that (<see cref="ChangedLineEndings"/>) to decide whether to verify a
/// second time over the bytes as stored.
/// </remarks>
internal sealed class CanonicalLineEndingStream : ReadOnlyForwardStream
{
    private readonly byte[] _input = new byte[32 * 1024];
    private readonly byte[] _output = new byte[64 * 1024];
    private int _outputStart;
    private int _outputEnd;
    private bool _lastWasCarriageReturn;

    public CanonicalLineEndingStream(Stream inner)
        : base(inner)
    {
    }

    /// <summary>True once a bare LF was turned into CRLF: the stored bytes are not canonical.</summary>
    public bool ChangedLineEndings { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_outputStart == _outputEnd)
        {
            var read = Inner.Read(_input, 0, _input.Length);
            if (read <= 0)
            {
                return 0;
            }

            _outputStart = 0;
            _outputEnd = 0;
            for (var i = 0; i < read; i++)
            {
                var b = _input[i];
                if (b == (byte)'\n' && !_lastWasCarriageReturn)
                {
                    _output[_outputEnd++] = (byte)'\r';
                    ChangedLineEndings = true;
                }

                _output[_outputEnd++] = b;
                _lastWasCarriageReturn = b == (byte)'\r';
            }
        }

        var take = Math.Min(count, _outputEnd - _outputStart);
        Array.Copy(_output, _outputStart, buffer, offset, take);
        _outputStart += take;
        return take;
    }
}
