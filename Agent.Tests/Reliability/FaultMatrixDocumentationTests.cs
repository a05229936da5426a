using System;
using System.IO;
using Xunit;
using ExchangeEncryptionAgent.Tests.Support;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>docs/reliability.md's fault matrix is generated from <see cref="FaultMatrix"/>, the table the tests run.</summary>
public sealed class FaultMatrixDocumentationTests
{
    private const string Begin = "<!-- fault-matrix:begin (generated from Agent.Tests/Reliability/FaultMatrix.cs; EEA_WRITE_DOCS=1 rewrites it) -->";
    private const string End = "<!-- fault-matrix:end -->";

    private static string DocPath => Path.Combine(RepoPaths.Root, "docs", "reliability.md");

    [Fact]
    public void ReliabilityDoc_ShowsTheTestedMatrix()
    {
        var doc = File.ReadAllText(DocPath).ReplaceLineEndings("\n");
        var start = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/reliability.md must hold the generated block between\n{Begin}\nand\n{End}");
        var generated = Begin + "\n" + FaultMatrix.Markdown() + End;

        if (Environment.GetEnvironmentVariable("EEA_WRITE_DOCS") == "1")
        {
            File.WriteAllText(DocPath, doc[..start] + generated + doc[(end + End.Length)..]);
            return;
        }

        Assert.True(
            doc[start..(end + End.Length)] == generated,
            "docs/reliability.md's fault matrix differs from Agent.Tests/Reliability/FaultMatrix.cs. Regenerate it: "
            + "EEA_WRITE_DOCS=1 dotnet test Agent.Tests -c Release --filter FullyQualifiedName~FaultMatrixDocumentationTests");
    }
}
