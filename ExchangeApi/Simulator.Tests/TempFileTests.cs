using System;
using System.IO;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class TempFileTests : IDisposable
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), "simulator-tests-" + Guid.NewGuid().ToString("N"));

    public TempFileTests() => Directory.CreateDirectory(_parent);

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public void Dispose_DeletesEveryTemporaryFile()
    {
        var script = new AgentScript
        {
            Routed = call =>
            {
                using var write = call.Item.GetMimeWriteStream()!;
                write.Write(Ascii(PlainMime + "X-Rewritten: yes\r\n"));
            },
        };
        var simulator = new TransportSimulator(new TransportSimulatorOptions { TemporaryDirectory = _parent });

        var result = simulator.Run(() => new ScriptedAgentFactory(script), Plain());
        var directory = result.TemporaryDirectory;
        Assert.StartsWith(_parent, directory, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(directory).Length); // the spooled input and the rewrite
        var copy = Assert.Single(result.Delivered);
        var saved = Path.Combine(_parent, "saved.eml");
        copy.SaveTo(saved);
        Assert.Equal(copy.ReadAllBytes(), File.ReadAllBytes(saved));

        result.Dispose();

        Assert.False(Directory.Exists(directory));
        Assert.Throws<ObjectDisposedException>(() => copy.OpenRead());
        Assert.Equal([saved], Directory.GetFileSystemEntries(_parent));
    }

    [Fact]
    public void FromFile_IsReadInPlace_NeverCopiedWrittenOrDeleted()
    {
        var input = Path.Combine(_parent, "input.eml");
        File.WriteAllText(input, PlainMime);
        string? seen = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                using var reader = new StreamReader(call.Item.GetMimeReadStream()!);
                seen = reader.ReadToEnd();
            },
        };
        var simulator = new TransportSimulator(new TransportSimulatorOptions { TemporaryDirectory = _parent });

        var result = simulator.Run(() => new ScriptedAgentFactory(script), SimulatedMessage.FromFile(Sender, [Bob], input));
        var directory = result.TemporaryDirectory;

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(PlainMime, seen);
        Assert.Empty(Directory.GetFiles(directory)); // no spooled copy of the input
        var copy = Assert.Single(result.Delivered);
        var saved = Path.Combine(_parent, "saved.eml");
        copy.MoveTo(saved); // the input is the caller's: copied, never moved away
        result.Dispose();
        Assert.Equal(PlainMime, File.ReadAllText(input));
        Assert.Equal(PlainMime, File.ReadAllText(saved));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void MoveTo_RenamesTheRunsOwnFile_WhichStaysReadableThere_AndSurvivesDispose()
    {
        var rewritten = PlainMime + "X-Rewritten: yes\r\n";
        var script = new AgentScript
        {
            Routed = call =>
            {
                using var write = call.Item.GetMimeWriteStream()!;
                write.Write(Ascii(rewritten));
            },
        };
        var simulator = new TransportSimulator(new TransportSimulatorOptions { TemporaryDirectory = _parent });
        var result = simulator.Run(() => new ScriptedAgentFactory(script), Plain());
        var directory = result.TemporaryDirectory;
        var copy = Assert.Single(result.Delivered);
        var moved = Path.Combine(_parent, "moved.eml");
        File.WriteAllText(moved, "an earlier run's copy"); // replaced, as SaveTo replaces

        copy.MoveTo(moved);

        Assert.Single(Directory.GetFiles(directory)); // only the spooled input is left: the rewrite was renamed, not copied
        Assert.Equal(rewritten, copy.ReadAllText()); // read where it now lies
        var again = Path.Combine(_parent, "again.eml");
        copy.MoveTo(again); // already given away: a copy
        Assert.Equal(rewritten, File.ReadAllText(again));
        result.Dispose();
        Assert.Equal(rewritten, File.ReadAllText(moved));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void FactoryConstructorFailure_LeavesNoTemporaryFiles()
    {
        var simulator = new TransportSimulator(new TransportSimulatorOptions { TemporaryDirectory = _parent });

        using (var result = simulator.Run(() => throw new InvalidOperationException("broken"), Plain()))
        {
            Assert.True(result.TransportServiceStopped);
        }

        Assert.Empty(Directory.GetFileSystemEntries(_parent));
    }

    [Fact]
    public void LargeMessage_RunsInBoundedMemory()
    {
        const long size = 64L * 1024 * 1024;
        var message = new SimulatedMessage(Sender, [Bob, Carol], () => new GeneratedMessageStream(size));
        var script = new AgentScript
        {
            // Rewrite the whole message through the streams, as an encrypting agent would.
            Routed = call =>
            {
                using var read = call.Item.GetMimeReadStream()!;
                using var write = call.Item.GetMimeWriteStream()!;
                read.CopyTo(write);
            },
        };
        var simulator = new TransportSimulator(new TransportSimulatorOptions { TemporaryDirectory = _parent });

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var result = simulator.Run(() => new ScriptedAgentFactory(script), message);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(size, Assert.Single(result.Delivered).Length);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated:N0} bytes for a {size:N0} byte message");
    }

    // A syntactically plain message of the requested size, produced on the fly.
    private sealed class GeneratedMessageStream(long length) : Stream
    {
        private static readonly byte[] Header = Ascii("From: alice@contoso.com\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\n");
        private static readonly byte[] Line = Ascii(new string('x', 76) + "\r\n");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var p = _position + i;
                buffer[offset + i] = p < Header.Length ? Header[p] : Line[(p - Header.Length) % Line.Length];
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
