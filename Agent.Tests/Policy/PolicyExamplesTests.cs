using ExchangeEncryptionAgent.Tests.Support;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Policy;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Policy;

public sealed class PolicyExamplesTests
{
    public static TheoryData<string> PolicyFiles()
    {
        var data = new TheoryData<string>();
        data.Add(Path.Combine("Policies", "default.xml"));
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "Policies", "examples"), "*.xml").OrderBy(f => f))
        {
            data.Add(Path.Combine("Policies", "examples", Path.GetFileName(file)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyFiles))]
    public void ShippedPolicy_Loads_WithoutErrorsOrWarnings(string relativePath)
    {
        var result = PolicyLoader.LoadFile(Path.Combine(RepoPaths.Root, relativePath));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.NotEmpty(result.Policy!.Rules);
        Assert.Equal(64, result.Policy.Sha256.Length);
    }

    [Fact]
    public void Examples_CoverTheRequiredScenarios()
    {
        var names = Directory.GetFiles(Path.Combine(RepoPaths.Root, "Policies", "examples"), "*.xml").Select(Path.GetFileName).ToList();
        Assert.Contains("partner-gateway-encryption.xml", names);
        Assert.Contains("confidential-label-or-keyword.xml", names);
        Assert.Contains("forced-tls-partners.xml", names);
        Assert.Contains("sign-all-outbound.xml", names);
        Assert.Contains("decrypt-inbound.xml", names);
    }

    [Fact]
    public void EmbeddedSchema_IsIdenticalToPublishedSchema()
    {
        var published = File.ReadAllText(Path.Combine(RepoPaths.Root, "Policies", "policy.xsd"));
        Assert.Equal(published, PolicySchema.ReadText());
    }

    [Fact]
    public void PolicyFileValidator_ReturnsNoErrors_ForExample_AndErrors_ForMissingFile()
    {
        Assert.Empty(PolicyFileValidator.Validate(Path.Combine(RepoPaths.Root, "Policies", "examples", "forced-tls-partners.xml")));
        var errors = PolicyFileValidator.Validate(Path.Combine(RepoPaths.Root, "no-such-policy.xml"));
        var error = Assert.Single(errors);
        Assert.Contains("no-such-policy.xml:0:0: file not found", error);
    }
}
