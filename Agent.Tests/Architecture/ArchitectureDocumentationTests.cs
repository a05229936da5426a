using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using ExchangeEncryptionAgent.Tests.Support;

namespace ExchangeEncryptionAgent.Tests.Architecture;

/// <summary>docs/architecture.md ("Layers") draws and tabulates the order <see cref="LayeringTests"/> enforces.</summary>
public sealed class ArchitectureDocumentationTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));

    [Fact]
    public void TheLayersTable_ListsTheFoldersTopFirst_EachWithExactlyTheFoldersBelowIt()
    {
        var rows = Regex.Matches(Layers(), @"^\| `(\w+)` \| (.*) \|\s*$", RegexOptions.Multiline)
            .Select(m => (Folder: m.Groups[1].Value, MayUse: Regex.Matches(m.Groups[2].Value, "`([\\w.*]+)`").Select(u => u.Groups[1].Value).ToList()))
            .ToList();

        Assert.Equal(AgentLayers.Order.Reverse(), rows.Select(r => r.Folder));
        foreach (var (folder, mayUse) in rows)
        {
            var expected = AgentLayers.MayUse(folder).Reverse().ToList();
            if (folder == "Exchange")
            {
                expected.Add("Microsoft.Exchange.*");
            }

            Assert.True(expected.SequenceEqual(mayUse), $"{folder}: the table says [{string.Join(", ", mayUse)}], the test [{string.Join(", ", expected)}]");
        }
    }

    [Fact]
    public void TheLayersDiagram_ChainsTheFoldersInTheSameOrder()
    {
        var edges = Regex.Matches(Layers(), @"^\s+(\w+) --> (\w+)\s*$", RegexOptions.Multiline)
            .Select(m => (From: m.Groups[1].Value, To: m.Groups[2].Value))
            .ToList();
        var expected = AgentLayers.Order.Reverse().Zip(AgentLayers.Order.Reverse().Skip(1), (from, to) => (From: from, To: to)).ToList();

        Assert.Equal(expected, edges);
    }

    [Fact]
    public void TheNeverSentence_NamesThePolicyNeverEdgesOfTheTest()
    {
        var policyNever = AgentLayers.Never.Where(e => e.From == "Policy" && !e.To.Contains("Exchange", StringComparison.Ordinal)).Select(e => e.To).OrderBy(t => t, StringComparer.Ordinal);
        var sentence = Regex.Match(Layers(), "`Policy` never uses ([^(]*)").Groups[1].Value;
        var documented = Regex.Matches(sentence, "`(\\w+)`").Select(m => m.Groups[1].Value).OrderBy(t => t, StringComparer.Ordinal);

        Assert.Equal(policyNever, documented);
    }

    private static string Layers()
    {
        var start = Doc.IndexOf("\n## Layers", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no \"## Layers\" section");
        var end = Doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? Doc.Substring(start) : Doc.Substring(start, end - start);
    }
}
