using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Tool;

/// <summary>The CLI is public surface: every verb is documented in docs/cli.md, and the doc claims no verb that does not exist.</summary>
public sealed class CliDocumentationTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"));

    [Fact]
    public void EveryVerb_HasASection()
    {
        Assert.All(ExchangeEncryptionAgent.Tool.Program.Commands, command =>
            Assert.Matches(new Regex($@"^## `eea {command.Name}\b", RegexOptions.Multiline), Doc));
    }

    [Fact]
    public void EveryDocumentedVerb_Exists()
    {
        var verbs = ExchangeEncryptionAgent.Tool.Program.Commands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var documented = Regex.Matches(Doc, @"^## `eea (\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(documented);
        Assert.All(documented, verb => Assert.Contains(verb, verbs));
    }

    [Fact]
    public void TheGatewaySpoolDefault_IsTheDocumentedOne()
    {
        // Plain text goes where the spool is: the default the administrator reads must be the one the gateway uses.
        var row = Regex.Match(Doc, @"^\| `--spool DIR` \|.*$", RegexOptions.Multiline);

        Assert.True(row.Success, "docs/cli.md has no --spool row");
        Assert.Contains($"default: `{ExchangeEncryptionAgent.Tool.Commands.GatewayCommand.DefaultSpool}` under the working directory", row.Value, StringComparison.Ordinal);
    }
}
