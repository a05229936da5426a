using System;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

public sealed class NoPolicyProcessorTests
{
    private static readonly MessageEnvelope Envelope = new("a@contoso.example", new[] { new EnvelopeRecipientInput("b@fabrikam.example") });

    [Fact]
    public void WithoutAPolicy_EveryMessageIsDeferred_ByDefault()
    {
        using var logging = AgentLogging.CreateInMemory(out _);
        var processor = new NoPolicyProcessor(new AgentSettings(), logging.Log, "test");

        var plan = processor.Plan(Envelope, Stream.Null, DateTime.UtcNow, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(5), plan.Copies.Single().DeferFor);
    }

    [Fact]
    public void InsecureSetting_LetsMessagesPass()
    {
        using var logging = AgentLogging.CreateInMemory(out _);
        var processor = new NoPolicyProcessor(new AgentSettings { OnNoValidPolicy = FailureOutcome.PassThroughInsecure }, logging.Log, "test");

        Assert.True(processor.Plan(Envelope, Stream.Null, DateTime.UtcNow, CancellationToken.None).IsPassThrough);
    }

    [Fact]
    public void TheEventIsThrottled_AndCountsTheMessagesItCovers()
    {
        using var logging = AgentLogging.CreateInMemory(out var memory);
        var processor = new NoPolicyProcessor(new AgentSettings(), logging.Log, "test");
        var start = new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

        processor.Plan(Envelope, Stream.Null, start, CancellationToken.None);
        processor.Plan(Envelope, Stream.Null, start.AddMinutes(1), CancellationToken.None);
        processor.Plan(Envelope, Stream.Null, start.AddMinutes(2), CancellationToken.None);
        processor.Plan(Envelope, Stream.Null, start.AddMinutes(6), CancellationToken.None);

        var entries = memory.Logs.Where(l => l.Contains($"|{EventIds.NoValidPolicy.Id}|", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains("for 1 message(s)", entries[0], StringComparison.Ordinal);
        Assert.Contains("for 3 message(s)", entries[1], StringComparison.Ordinal);
    }
}
