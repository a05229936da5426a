using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Policy;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Activation;

/// <summary>install.ps1 loads the net48 agent DLL in Windows PowerShell 5.1 and calls PolicyInventory.Read (PolicyFileValidator.Validate returns its errors).</summary>
public sealed class InstallerContractTests
{
    [Fact]
    public void Net48Assembly_HasTheValidatorAndTheEmbeddedSchema()
    {
        var path = Path.Combine(RepoPaths.Root, "Agent", "bin", RepoPaths.Configuration, "net48", "ExchangeEncryptionAgent.dll");
        Assert.True(File.Exists(path), path + " is not built");
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var resources = metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).ToList();
        Assert.Contains(PolicySchema.ResourceName, resources);

        foreach (var (typeName, methodName) in new[] { ("PolicyFileValidator", "Validate"), ("PolicyInventory", "Read") })
        {
            var type = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
                .Single(t => metadata.GetString(t.Name) == typeName && metadata.GetString(t.Namespace) == "ExchangeEncryptionAgent.Activation");
            Assert.True((type.Attributes & System.Reflection.TypeAttributes.Public) != 0);
            var method = type.GetMethods().Select(metadata.GetMethodDefinition).Single(m => metadata.GetString(m.Name) == methodName);
            Assert.True((method.Attributes & System.Reflection.MethodAttributes.Static) != 0);
            Assert.True((method.Attributes & System.Reflection.MethodAttributes.Public) != 0);
        }
    }

    [Fact]
    public void Validate_EmptyPath_IsAnError_NotAnException()
    {
        Assert.Equal("(no file):0:0: no policy file path was given", Assert.Single(PolicyFileValidator.Validate(" ")));
    }

    [Fact]
    public void Validate_InvalidPolicy_ReturnsFormattedErrors()
    {
        var errors = PolicyFileValidator.Validate(RepoPaths.TestData("policies", "invalid-duplicate-names-and-unknown-element.xml"));
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e => Assert.Matches(@"invalid-duplicate-names-and-unknown-element\.xml:\d+:\d+: rule 'Tag partner mail': ", e));
    }

    [Fact]
    public void Validate_OpensTheCertificatesThePolicyNames_AsTheAgentWill()
    {
        var errors = PolicyFileValidator.Validate(Path.Combine(RepoPaths.Root, "Policies", "examples", "partner-gateway-encryption.xml"));

        Assert.Contains(errors, e => e.Contains("certificates:", StringComparison.Ordinal) && e.Contains("fabrikam-root.crt", StringComparison.Ordinal));
    }
}
