using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Smime.Inbound;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

public sealed class InboundDocumentationTests
{
    [Fact]
    public void EveryInboundEvent_HasARowInEventIdsDoc_WithItsNameAndLevel()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "event-ids.md")).Where(l => l.StartsWith("| 3", StringComparison.Ordinal)).ToList();
        var inbound = EventIds.All.Where(e => e.Id is >= 3000 and < 3100).ToList();

        Assert.NotEmpty(inbound);
        foreach (var agentEvent in inbound)
        {
            Assert.Contains(rows, r => r.StartsWith($"| {agentEvent.Id} | {agentEvent.Name} | {agentEvent.Level} |", StringComparison.Ordinal));
        }

        Assert.Equal(inbound.Count, rows.Count);
    }

    [Fact]
    public void HeadersDoc_HasASectionPerHeader_AndListsEveryReasonToken()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "headers.md"));

        Assert.Contains("## " + InboundSmimeHeaders.Signature, text, StringComparison.Ordinal);
        Assert.Contains("## " + InboundSmimeHeaders.Decryption, text, StringComparison.Ordinal);
        foreach (var problem in Enum.GetValues<SignatureProblem>().Where(p => p != SignatureProblem.None))
        {
            Assert.Contains('"' + InboundSmimeHeaders.ProblemToken(problem) + '"', text, StringComparison.Ordinal);
        }

        foreach (var outcome in Enum.GetValues<DecryptionOutcome>().Where(o => o != DecryptionOutcome.NotEncrypted))
        {
            Assert.Contains('"' + InboundSmimeHeaders.FormatDecryption(outcome) + '"', text, StringComparison.Ordinal);
        }
    }
}
