using ExchangeEncryptionAgent.Tests.Support;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

public sealed class LoadedPolicyTests
{
    [Fact]
    public void ShippedDefaultPolicy_LoadsWithItsCertificates_SoAFirstInstallDoesNotDeferMail()
    {
        using var logging = AgentLogging.CreateInMemory(out _);

        var outcome = LoadedPolicy.Load(Path.Combine(RepoPaths.Root, "Policies", "default.xml"), logging.Log);

        Assert.True(outcome.Value is not null, string.Join("\n", outcome.Errors));
    }

    [Fact]
    public void MissingCertificateFile_FailsTheWholeLoad_WithTheFileNamed()
    {
        using var logging = AgentLogging.CreateInMemory(out _);

        var outcome = LoadedPolicy.Load(Path.Combine(RepoPaths.Root, "Policies", "examples", "partner-gateway-encryption.xml"), logging.Log);

        Assert.Null(outcome.Value);
        Assert.Contains(outcome.Errors, e => e.Contains("fabrikam-root.crt", System.StringComparison.Ordinal));
    }
}
