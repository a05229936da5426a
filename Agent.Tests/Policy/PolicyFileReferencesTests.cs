using System.IO;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>
/// The policy model lists every file and folder a policy names, as absolute paths relative to the policy file: what
/// the installer must copy with it (issue 11: shipped examples were activated without their certificate folders).
/// </summary>
public sealed class PolicyFileReferencesTests
{
    [Fact]
    public void DecryptInboundExample_ListsKeyFilesAndCertificateFolders_RelativeToThePolicyFile()
    {
        using var temp = new TempDirectory();
        var policy = LoadCopy(temp, "decrypt-inbound.xml", xml => xml);

        Assert.Equal(new[] { At(temp, "pki/gateway.crt"), At(temp, "pki/gateway.key"), At(temp, "pki/gateway.pwd") }, policy.References.Files);
        Assert.Equal(new[] { At(temp, "pki/roots"), At(temp, "pki/crl"), At(temp, "pki/escrow") }, policy.References.Folders);
    }

    [Fact]
    public void PathsOutsideThePolicyFolder_AreResolved_AndWindowsStoresAreNoFiles()
    {
        using var temp = new TempDirectory();
        var shared = Path.Combine(temp.Path, "shared", "roots");
        var policy = LoadCopy(temp, "decrypt-inbound.xml", xml => xml
            .Replace("Path=\"pki/roots\"", $"Path=\"{shared}\"", System.StringComparison.Ordinal)
            .Replace("Path=\"pki/crl\"", "Path=\"../crl\"", System.StringComparison.Ordinal));

        Assert.Contains(shared, policy.References.Folders);
        Assert.Contains(Path.GetFullPath(Path.Combine(temp.Path, "policy", "..", "crl")), policy.References.Folders);
        Assert.DoesNotContain(policy.References.Files, f => f.Contains("0123456789ABCDEF", System.StringComparison.Ordinal));
    }

    [Fact]
    public void SignAllOutbound_ListsThePfxAndItsPasswordFile()
    {
        using var temp = new TempDirectory();
        var policy = LoadCopy(temp, "sign-all-outbound.xml", xml => xml);

        Assert.Contains(At(temp, "pki/contoso-signing.pfx"), policy.References.Files);
        Assert.Contains(At(temp, "pki/contoso-signing.pwd"), policy.References.Files);
        Assert.All(policy.References.Files, f => Assert.True(Path.IsPathRooted(f), f));
    }

    [Fact]
    public void TheHarvestingFolder_IsListedOnlyWhileHarvestingIsEnabled()
    {
        using var temp = new TempDirectory();
        var enabled = LoadCopy(temp, "confidential-label-or-keyword.xml", xml => xml);
        var disabled = LoadCopy(temp, "confidential-label-or-keyword.xml",
            xml => xml.Replace("<Harvesting Enabled=\"true\"", "<Harvesting Enabled=\"false\"", System.StringComparison.Ordinal));

        Assert.Contains(At(temp, "pki/harvested"), enabled.References.Folders);
        Assert.DoesNotContain(At(temp, "pki/harvested"), disabled.References.Folders);
    }

    [Fact]
    public void TheSameFileNamedTwice_IsListedOnce()
    {
        using var temp = new TempDirectory();
        var policy = LoadCopy(temp, "decrypt-inbound.xml", xml => xml.Replace("<Folder Path=\"pki/escrow\" />", "<Folder Path=\"pki/escrow\" /><Folder Path=\"pki/./escrow\" />", System.StringComparison.Ordinal));

        Assert.Single(policy.References.Folders, At(temp, "pki/escrow"));
    }

    private static PolicySet LoadCopy(TempDirectory temp, string example, System.Func<string, string> edit)
    {
        var xml = edit(File.ReadAllText(Path.Combine(RepoPaths.Root, "Policies", "examples", example)));
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "policy")).FullName;
        var path = Path.Combine(folder, example);
        File.WriteAllText(path, xml);
        var result = PolicyLoader.LoadFile(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Policy!;
    }

    private static string At(TempDirectory temp, string relative) => Path.GetFullPath(Path.Combine(temp.Path, "policy", relative));
}
