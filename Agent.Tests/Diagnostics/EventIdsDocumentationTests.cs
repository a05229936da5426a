using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Diagnostics;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Diagnostics;

/// <summary>docs/event-ids.md is what administrators search; it must list exactly the catalogue.</summary>
public sealed class EventIdsDocumentationTests
{
    private static readonly Regex Row = new(@"^\|\s*(\d{4})\s*\|\s*(\w+)\s*\|\s*(\w+)\s*\|(.+)\|(.+)\|\s*$", RegexOptions.Multiline);

    [Fact]
    public void EveryCatalogueEvent_IsDocumentedWithItsNameAndLevel()
    {
        var documented = Rows().ToDictionary(r => r.Id);

        Assert.All(EventIds.All, e =>
        {
            Assert.True(documented.TryGetValue(e.Id, out var row), $"event {e.Id} {e.Name} is not in docs/event-ids.md");
            Assert.Equal(e.Name, row.Name);
            Assert.Equal(e.Level.ToString(), row.Level);
        });
    }

    [Fact]
    public void EveryDocumentedEvent_ExistsInTheCatalogue()
    {
        var ids = EventIds.All.Select(e => e.Id).ToHashSet();

        Assert.All(Rows(), row => Assert.True(ids.Contains(row.Id), $"docs/event-ids.md documents {row.Id} {row.Name}, which the code does not have"));
    }

    [Fact]
    public void DocumentedIds_AreUnique_AndEachSaysWhatToDo()
    {
        var rows = Rows().ToList();

        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.WhatToDo), $"{r.Id} has no advice"));
    }

    [Fact]
    public void CatalogueEvents_HaveMeaningsAndNamesThatMatchTheirFields()
    {
        var fields = typeof(EventIds).GetFields().Where(f => f.FieldType == typeof(AgentEvent));

        Assert.All(fields, f =>
        {
            var e = (AgentEvent)f.GetValue(null)!;
            Assert.Equal(f.Name, e.Name);
            Assert.False(string.IsNullOrWhiteSpace(e.Meaning));
        });
    }

    private static System.Collections.Generic.IEnumerable<(int Id, string Name, string Level, string WhatToDo)> Rows()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "event-ids.md"));
        return Row.Matches(text).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value, m.Groups[5].Value.Trim()));
    }
}
