using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Content;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Content;

/// <summary>Our header fields are public surface: the catalogue and docs/headers.md name the same fields.</summary>
public sealed class AgentHeadersDocumentationTests
{
    [Fact]
    public void TheCatalogue_AndTheSectionsOfHeadersMd_NameTheSameFields()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "headers.md"));
        var documented = Regex.Matches(doc, "^## (X-EEA-[A-Za-z-]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(AgentHeaders.All.OrderBy(n => n, StringComparer.Ordinal), documented.OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(AgentHeaders.All, name => Assert.True(AgentHeaders.IsOurs(name)));
    }
}
