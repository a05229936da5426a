using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Smime.Inbound;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

public sealed class InboundDocumentationTests
{
    [Fact]
    public void HeadersDoc_HasASectionPerHeader_AndListsEveryReasonToken()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "headers.md"));

        Assert.Contains("## " + AgentHeaders.Signature, text, StringComparison.Ordinal);
        Assert.Contains("## " + AgentHeaders.Decryption, text, StringComparison.Ordinal);
        foreach (var problem in Enum.GetValues<SignatureProblem>().Where(p => p != SignatureProblem.None))
        {
            Assert.Contains('"' + InboundSmimeHeaders.ProblemToken(problem) + '"', text, StringComparison.Ordinal);
        }

        foreach (var outcome in Enum.GetValues<DecryptionOutcome>().Where(o => o != DecryptionOutcome.NotEncrypted))
        {
            Assert.Contains('"' + InboundSmimeHeaders.FormatDecryption(outcome) + '"', text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HeadersDoc_ListsEveryDisplayFieldAnEmbeddedMessageMayShow()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "headers.md"));

        foreach (var name in InboundMessageWriter.DisplayFields)
        {
            Assert.Contains('`' + name + '`', text, StringComparison.Ordinal);
        }
    }
}
