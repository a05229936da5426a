using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

public sealed class OutcomeTokensDocumentationTests
{
    [Fact]
    public void EveryOutcomeToken_IsDocumentedInHeadersMd()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "headers.md"));
        var tokens = typeof(OutcomeTokens).GetFields().Select(f => (string)f.GetValue(null)!).ToList();

        Assert.Equal(8, tokens.Count);
        Assert.All(tokens, token => Assert.Contains($"| `{token}` |", doc, StringComparison.Ordinal));
    }
}
