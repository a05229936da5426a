using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content.RawMime;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Content;

/// <summary>
/// The one line reader under every raw header reader: it starts with a small read and grows, so a small message is not
/// read whole for every header block the pipeline reads, while lines across read boundaries, the size limit and the
/// copy of the rest behave as with one large buffer.
/// </summary>
public sealed class HeaderLineReaderTests
{
    [Fact]
    public void LinesAcrossReadBoundaries_ComeBackWhole_AndTheRestIsCopiedExactly()
    {
        // Lengths around the first read (4 KiB), its doublings and past the largest read (64 KiB).
        var lines = new[] { 10, 4090, 4096, 5000, 20_000, 70_000, 1, 131_072 }
            .Select((length, i) => Encoding.ASCII.GetBytes("X-" + i + ": " + new string((char)('a' + i), length) + "\r\n"))
            .ToList();
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))));
        var message = lines.SelectMany(l => l).Concat(Encoding.ASCII.GetBytes("\r\n")).Concat(body).ToArray();
        using var source = new MemoryStream(message, writable: false);
        using var reader = new HeaderLineReader(source, message.Length, RawHeaderBlock.MaxBytes);

        var read = new List<byte[]>();
        int length;
        while ((length = reader.ReadLine()) > 2)
        {
            read.Add(reader.Line.AsSpan(0, length).ToArray());
        }

        using var rest = new MemoryStream();
        reader.CopyRest(rest, CancellationToken.None);

        Assert.Equal(lines.Count, read.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal(lines[i], read[i]);
        }

        Assert.Equal(lines.Sum(l => l.Length) + 2, reader.Consumed);
        Assert.Equal(body, rest.ToArray());
    }

    [Fact]
    public void SmallHeaderBlock_ReadsOnlyTheFirstKilobytes_NotTheWholeMessage()
    {
        var header = "From: alice@contoso.example\r\nTo: dave@fabrikam.example\r\nSubject: Order\r\n\r\n";
        var message = Encoding.ASCII.GetBytes(header + new string('x', 1024 * 1024));
        using var source = new ReadCountingStream(message);
        using var reader = new HeaderLineReader(source, message.Length, RawHeaderBlock.MaxBytes);

        while (reader.ReadLine() > 2)
        {
        }

        Assert.Equal(header.Length, reader.Consumed);
        Assert.True(source.BytesRead <= 4096, $"read {source.BytesRead:N0} bytes for a {header.Length}-byte header block");
    }

    [Fact]
    public void LineWithoutABreak_StopsAtTheLimit_WithoutReadingTheRest()
    {
        const int Limit = 1024 * 1024;
        var message = Encoding.ASCII.GetBytes("Subject: " + new string('a', 16 * 1024 * 1024));
        using var source = new ReadCountingStream(message);
        using var reader = new HeaderLineReader(source, message.Length, Limit);

        Assert.Throws<MessageHeaderTooLargeException>(() => reader.ReadLine());
        Assert.True(source.BytesRead <= Limit + (64 * 1024), $"read {source.BytesRead:N0} bytes with a limit of {Limit:N0}");
    }

    /// <summary>A read-only stream over bytes that counts what was read from it.</summary>
    private sealed class ReadCountingStream : MemoryStream
    {
        public ReadCountingStream(byte[] content)
            : base(content, writable: false)
        {
        }

        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            BytesRead += read;
            return read;
        }
    }
}
