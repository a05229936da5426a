using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// docs/security.md names, for each promise, the test that holds it. These tests keep the document honest: every
/// test it names exists and runs (a [Fact] or [Theory], not skipped), and every attack test in this folder is named
/// in the document, so neither can drift from the other.
/// </summary>
public sealed class SecurityDocumentationTests
{
    private static readonly Regex TestReference = new(@"`(?<type>[A-Z][A-Za-z0-9]+Tests)\.(?<method>[A-Za-z0-9_]+)`", RegexOptions.CultureInvariant);

    private static string Document => File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "security.md"));

    [Fact]
    public void EveryTestNamedInSecurityMd_ExistsAndRuns()
    {
        var references = TestReference.Matches(Document).Cast<Match>().ToList();
        Assert.True(references.Count >= 15, $"docs/security.md names only {references.Count} tests.");
        var testTypes = typeof(SecurityDocumentationTests).Assembly.GetTypes();
        foreach (var reference in references)
        {
            var typeName = reference.Groups["type"].Value;
            var methodName = reference.Groups["method"].Value;
            var type = testTypes.SingleOrDefault(t => t.Name == typeName);
            Assert.True(type is not null, $"docs/security.md names {typeName}, which is not a test class.");
            var method = type!.GetMethod(methodName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
            Assert.True(method is not null, $"docs/security.md names {typeName}.{methodName}, which does not exist.");
            var fact = method!.GetCustomAttributes<FactAttribute>(inherit: true).SingleOrDefault();
            Assert.True(fact is not null, $"{typeName}.{methodName} is not a test.");
            Assert.True(string.IsNullOrEmpty(fact!.Skip), $"{typeName}.{methodName} is skipped.");
        }
    }

    [Fact]
    public void EveryAttackTestClass_IsNamedInSecurityMd()
    {
        var document = Document;
        var attackClasses = typeof(SecurityDocumentationTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(SecurityDocumentationTests).Namespace && t.Name.EndsWith("Tests", StringComparison.Ordinal))
            .Where(t => t != typeof(SecurityDocumentationTests))
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .Select(t => t.Name)
            .ToList();
        Assert.NotEmpty(attackClasses);
        Assert.All(attackClasses, name => Assert.Contains("`" + name + ".", document, StringComparison.Ordinal));
    }
}
