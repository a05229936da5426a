using System;
using System.IO;
using System.Text;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class MimeStreamTests
{
    private static readonly string Rewritten = Crlf(
        """
        From: alice@contoso.com
        Subject: Rewritten
        MIME-Version: 1.0
        Content-Type: text/plain

        Rewritten body.
        """);

    [Fact]
    public void WriteStream_ClosedBeforeReturn_ReplacesTheContent()
    {
        long? lengthBefore = null;
        long? lengthAfter = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                lengthBefore = call.Item.MimeStreamLength;
                using (var stream = call.Item.GetMimeWriteStream()!)
                {
                    stream.Write(Ascii(Rewritten));
                }

                lengthAfter = call.Item.MimeStreamLength;
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount(PlainMime), lengthBefore);
        Assert.Equal(Rewritten.Length, lengthAfter);
        Assert.Equal(Rewritten, Assert.Single(result.Delivered).ReadAllText());
    }

    [Fact]
    public void ReadStream_IsSeekableSnapshot()
    {
        string? firstRead = null;
        string? reread = null;
        string? snapshotAfterRewrite = null;
        string? freshAfterRewrite = null;
        var script = new AgentScript
        {
            Resolved = call =>
            {
                using var read = call.Item.GetMimeReadStream()!;
                Assert.True(read.CanRead);
                Assert.True(read.CanSeek);
                Assert.False(read.CanWrite);
                firstRead = new StreamReader(read, leaveOpen: true).ReadToEnd();
                read.Position = 0;
                reread = new StreamReader(read, leaveOpen: true).ReadToEnd();
                read.Position = 0;

                using (var write = call.Item.GetMimeWriteStream()!)
                {
                    write.Write(Ascii(Rewritten));
                }

                snapshotAfterRewrite = new StreamReader(read, leaveOpen: true).ReadToEnd();
                using var fresh = call.Item.GetMimeReadStream()!;
                freshAfterRewrite = new StreamReader(fresh).ReadToEnd();
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.Equal(PlainMime, firstRead);
        Assert.Equal(PlainMime, reread);
        Assert.Equal(PlainMime, snapshotAfterRewrite);
        Assert.Equal(Rewritten, freshAfterRewrite);
    }

    [Fact]
    public void WriteStream_IsForwardOnlyAndWriteOnly()
    {
        Stream? stream = null;
        Exception? length = null;
        Exception? position = null;
        Exception? setPosition = null;
        Exception? seek = null;
        Exception? read = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                using var write = call.Item.GetMimeWriteStream()!;
                stream = write;
                Assert.False(write.CanRead);
                Assert.False(write.CanSeek);
                Assert.True(write.CanWrite);
                length = Capture(() => _ = write.Length);
                position = Capture(() => _ = write.Position);
                setPosition = Capture(() => write.Position = 0);
                seek = Capture(() => write.Seek(0, SeekOrigin.Begin));
                read = Capture(() => write.ReadByte());
                write.Write(Ascii(Rewritten));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.NotNull(stream);
        Assert.IsType<NotSupportedException>(length);
        Assert.IsType<NotSupportedException>(position);
        Assert.IsType<NotSupportedException>(setPosition);
        Assert.IsType<NotSupportedException>(seek);
        Assert.IsType<NotSupportedException>(read);
        Assert.True(result.Healthy, result.ToString());
    }

    [Fact]
    public void WriteStream_WriteAfterFlush_Throws()
    {
        Exception? error = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                using var write = call.Item.GetMimeWriteStream()!;
                write.Write(Ascii(Rewritten));
                write.Flush();
                error = Capture(() => write.Write(Ascii("more")));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(Rewritten, Assert.Single(result.Delivered).ReadAllText());
    }

    [Fact]
    public void SecondStream_WhileWriteStreamOpen_Throws()
    {
        Exception? secondWrite = null;
        Exception? readWhileWriting = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                using var write = call.Item.GetMimeWriteStream()!;
                secondWrite = Capture(() => call.Item.GetMimeWriteStream());
                readWhileWriting = Capture(() => call.Item.GetMimeReadStream());
                write.Write(Ascii(Rewritten));
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.IsType<InvalidOperationException>(secondWrite);
        Assert.IsType<InvalidOperationException>(readWhileWriting);
        Assert.True(result.Healthy, result.ToString());
    }

    [Fact]
    public void WriteStream_OpenWhenHandlerReturns_RestoresContentAndClearsRecipients()
    {
        Stream? leaked = null;
        var laterEvents = 0;
        var script = new AgentScript
        {
            Resolved = call =>
            {
                // The bug: no using/Dispose.
                leaked = call.Item.GetMimeWriteStream()!;
                leaked.Write(Ascii(Rewritten));
            },
            Routed = _ => laterEvents++,
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        Assert.False(result.Healthy);
        var violation = Assert.Single(result.Violations);
        Assert.Equal(ViolationNames.AgentDidNotCloseMimeStream, violation.Name);
        Assert.Equal(RoutingEvents.Resolved, violation.EventTopic);
        Assert.Equal([Bob.Address, Carol.Address], violation.Recipients);
        Assert.Empty(result.Delivered);
        Assert.Equal(
            [
                new DroppedRecipient(Bob.Address, DropReason.AgentDidNotCloseMimeStream, RoutingEvents.Resolved),
                new DroppedRecipient(Carol.Address, DropReason.AgentDidNotCloseMimeStream, RoutingEvents.Resolved),
            ],
            result.Dropped);
        Assert.Equal(0, laterEvents);

        // Transport closed the stream itself and discarded what was written.
        Assert.False(leaked!.CanWrite);
        Assert.Throws<ObjectDisposedException>(() => leaked.Write(Ascii("late")));
    }

    [Fact]
    public void WriteStream_OpenAtHandlerReturn_ContentRestoredForTheForkedCopy()
    {
        // The item that leaked the stream loses its recipients; the fork clone made before the leak keeps the original
        // content, and the leaked bytes never reach anyone.
        var script = new AgentScript
        {
            Resolved = call =>
            {
                if (call.Item.Recipients.Count == 2)
                {
                    call.Source.Fork([call.Item.Recipients[0]]);
                    call.Item.GetMimeWriteStream()!.Write(Ascii(Rewritten));
                }
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain(Bob, Carol));

        var copy = Assert.Single(result.Delivered);
        Assert.Equal([Carol.Address], copy.RecipientAddresses);
        Assert.Equal(PlainMime, copy.ReadAllText());
        Assert.Equal(Bob.Address, Assert.Single(result.Dropped).Address);
        Assert.True(result.HasViolation(ViolationNames.AgentDidNotCloseMimeStream));
    }
}
