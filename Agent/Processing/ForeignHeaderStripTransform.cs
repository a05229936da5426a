using System;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Removes every field of our namespace (<see cref="AgentHeaders.Prefix"/>) from the top-level header block of mail
/// that came from outside, and copies everything else byte for byte. Streams line by line with no field count or
/// block size limit: a forged verdict after 20,000 other fields is found like the first one. Runs before every
/// other transform of the copy, so nothing we stamp afterwards can be mistaken for what the sender wrote.
/// </summary>
public sealed class ForeignHeaderStripTransform : IMessageTransform
{
    private const int BufferSize = 81920;

    /// <inheritdoc />
    public string Name => "strip-foreign-headers";

    /// <summary>
    /// How many of our fields the header block starting at the current position holds; reads the header block only
    /// and puts the stream back where it was.
    /// </summary>
    public static int CountForeignFields(Stream message)
    {
        Guard.NotNull(message);
        var start = message.Position;
        try
        {
            return Copy(message, destination: null, CancellationToken.None);
        }
        finally
        {
            message.Position = start;
        }
    }

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        => Copy(Guard.NotNull(source), Guard.NotNull(destination), cancellationToken);

    /// <summary>The removal itself; with no destination it only counts and stops at the end of the header block.</summary>
    private static int Copy(Stream source, Stream? destination, CancellationToken cancellationToken)
    {
        var reader = new LineReader(source);
        var removed = 0;
        var dropping = false;
        while (reader.ReadLine() is { } line)
        {
            var content = HeaderLineSyntax.ContentLength(line.Bytes, line.Length);
            if (content == 0)
            {
                destination?.Write(line.Bytes, 0, line.Length);
                break;
            }

            var folded = line.Bytes[0] == (byte)' ' || line.Bytes[0] == (byte)'\t';
            if (!folded)
            {
                var colon = HeaderLineSyntax.FieldNameEnd(line.Bytes, content);
                if (colon < 0)
                {
                    // Not a field: the body starts here without a separator line (as RawHeaderBlock reads it).
                    destination?.Write(line.Bytes, 0, line.Length);
                    break;
                }

                dropping = IsOurs(line.Bytes, colon);
                if (dropping)
                {
                    removed++;
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (!dropping)
            {
                destination?.Write(line.Bytes, 0, line.Length);
            }
        }

        if (destination is not null)
        {
            reader.CopyRest(destination, cancellationToken);
        }

        return removed;
    }

    private static bool IsOurs(byte[] line, int colon)
    {
        var prefix = AgentHeaders.Prefix;
        if (colon < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (char.ToUpperInvariant((char)line[i]) != char.ToUpperInvariant(prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One line with its terminator, in a buffer reused from line to line.</summary>
    private readonly struct Line
    {
        public Line(byte[] bytes, int length)
        {
            Bytes = bytes;
            Length = length;
        }

        public byte[] Bytes { get; }

        public int Length { get; }
    }

    /// <summary>Buffered line reader; memory is one read buffer plus the longest line.</summary>
    private sealed class LineReader
    {
        private readonly Stream _source;
        private readonly byte[] _buffer = new byte[BufferSize];
        private byte[] _line = new byte[1024];
        private int _offset;
        private int _count;

        public LineReader(Stream source) => _source = source;

        public Line? ReadLine()
        {
            var length = 0;
            while (true)
            {
                if (_offset == _count)
                {
                    _count = _source.Read(_buffer, 0, _buffer.Length);
                    _offset = 0;
                    if (_count == 0)
                    {
                        return length == 0 ? null : new Line(_line, length);
                    }
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _offset, _count - _offset);
                var end = newline < 0 ? _count : newline + 1;
                var take = end - _offset;
                if (length + take > _line.Length)
                {
                    Array.Resize(ref _line, Math.Max(_line.Length * 2, length + take));
                }

                Buffer.BlockCopy(_buffer, _offset, _line, length, take);
                length += take;
                _offset = end;
                if (newline >= 0)
                {
                    return new Line(_line, length);
                }
            }
        }

        public void CopyRest(Stream destination, CancellationToken cancellationToken)
        {
            destination.Write(_buffer, _offset, _count - _offset);
            _offset = _count;
            int read;
            while ((read = _source.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                destination.Write(_buffer, 0, read);
            }
        }
    }
}
