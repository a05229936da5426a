using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Activation;

/// <summary>
/// PolicyInventory is what the installer copies with a policy: every shipped example must list each file and folder
/// it names, and once those exist, load without errors from the same call.
/// </summary>
public sealed class PolicyInventoryTests : IDisposable
{
    private const string Password = "example-pki";

    // Attributes that name a file or folder, wherever they appear in a policy; the test's own oracle, independent of
    // the loader the inventory uses.
    private static readonly string[] FileAttributes = { "CertificateFile", "KeyFile", "PfxFile", "PasswordFile" };

    private readonly string _directory = Directory.CreateTempSubdirectory("eea-inventory-").FullName;

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "Policies", "examples"), "*.xml").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_ListsEveryFileAndFolderItNames_AndLoadsOnceTheyExist(string example)
    {
        var policy = Path.Combine(_directory, example);
        File.Copy(Path.Combine(RepoPaths.Root, "Policies", "examples", example), policy);
        var (expectedFiles, expectedFolders) = NamedPaths(policy);

        var inventory = PolicyInventory.Read(policy);

        Assert.Equal(expectedFiles.OrderBy(p => p, StringComparer.Ordinal), inventory.Files.OrderBy(p => p, StringComparer.Ordinal));
        Assert.Equal(expectedFolders.OrderBy(p => p, StringComparer.Ordinal), inventory.Folders.OrderBy(p => p, StringComparer.Ordinal));
        Assert.Empty(inventory.AbsolutePaths);
        Assert.All(inventory.Files.Concat(inventory.Folders), p => Assert.StartsWith(_directory + Path.DirectorySeparatorChar, p, StringComparison.Ordinal));

        foreach (var file in inventory.Files)
        {
            WriteExampleFile(file);
        }

        foreach (var folder in inventory.Folders)
        {
            Directory.CreateDirectory(folder);
        }

        var loaded = PolicyInventory.Read(policy);
        Assert.All(loaded.Files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(inventory.Files, loaded.Files);
        Assert.Equal(PolicyFileValidator.Validate(policy), loaded.Errors);
        // The only sources no file can satisfy are Windows certificate stores (unreadable off Windows; the example's
        // thumbprint is a placeholder on Windows too).
        Assert.All(loaded.Errors, e => Assert.True(NamesAStoreSource(policy, e), e));
        if (!File.ReadAllText(policy).Contains("Store=", StringComparison.Ordinal))
        {
            Assert.True(loaded.IsValid, string.Join(Environment.NewLine, loaded.Errors));
        }
    }

    [Fact]
    public void ForcedTls_IsReadFromTheSettings()
    {
        var inventory = PolicyInventory.Read(Path.Combine(RepoPaths.Root, "Policies", "examples", "partner-gateway-encryption.xml"));

        Assert.Equal("tls-partners.contoso.invalid", inventory.ForcedTlsAddressSpace);
        Assert.Equal("mail.fabrikam.com", inventory.ForcedTlsDomain);
        Assert.Null(PolicyInventory.Read(Path.Combine(RepoPaths.Root, "Policies", "examples", "sign-all-outbound.xml")).ForcedTlsAddressSpace);
    }

    [Fact]
    public void AbsoluteAndClimbingReferences_AreResolved_AndOnlyAbsoluteOnesAreMarked()
    {
        var absolute = Path.Combine(_directory, "elsewhere", "root.crt");
        var policy = Path.Combine(_directory, "policies", "policy.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(policy)!);
        File.WriteAllText(policy, Policy($"<TrustAnchors><File Path=\"{absolute}\" /><File Path=\"../shared/issuing.crt\" /></TrustAnchors>"));

        var inventory = PolicyInventory.Read(policy);

        Assert.Equal(new[] { absolute, Path.Combine(_directory, "shared", "issuing.crt") }, inventory.Files);
        Assert.Equal(new[] { absolute }, inventory.AbsolutePaths);
        Assert.Equal(2, inventory.Errors.Count(e => e.Contains(": certificates: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void HarvestingFolder_IsWritable_OnlyWhenHarvestingIsOn(string enabled, bool writable)
    {
        var policy = Path.Combine(_directory, "policy.xml");
        File.WriteAllText(policy, Policy($"<Harvesting Enabled=\"{enabled}\" Folder=\"pki/harvested\" />"));

        var inventory = PolicyInventory.Read(policy);

        Assert.True(inventory.IsValid, string.Join("\n", inventory.Errors));
        var expected = writable ? new[] { Path.Combine(_directory, "pki", "harvested") } : Array.Empty<string>();
        Assert.Equal(expected, inventory.WritableFolders);
        Assert.Equal(expected, inventory.Folders);
    }

    [Fact]
    public void UnloadablePolicy_ReferencesNothing_AndReportsTheLoaderErrors()
    {
        var policy = Path.Combine(_directory, "broken.xml");
        File.WriteAllText(policy, "<Policy xmlns=\"urn:exchange-encryption-agent:policy:v1\"><Certificates><TrustAnchors><File Path=\"root.crt\" /></TrustAnchors></Certificates>");

        var inventory = PolicyInventory.Read(policy);

        Assert.False(inventory.IsValid);
        Assert.StartsWith(policy + ":", inventory.Errors[0], StringComparison.Ordinal);
        Assert.Empty(inventory.Files);
        Assert.Empty(inventory.Folders);
        Assert.Equal(new[] { "(no file):0:0: no policy file path was given" }, PolicyInventory.Read("").Errors);
    }

    private static string Policy(string certificates)
        => "<Policy xmlns=\"urn:exchange-encryption-agent:policy:v1\"><Certificates>" + certificates + "</Certificates>"
           + "<Rules><Rule Name=\"r\" Priority=\"0\"><Actions><SetHeader Name=\"X-Test\" Value=\"1\" /></Actions></Rule></Rules></Policy>";

    /// <summary>Every file and folder the policy's XML names, resolved against its folder.</summary>
    private static (string[] Files, string[] Folders) NamedPaths(string policy)
    {
        var folder = Path.GetDirectoryName(policy)!;
        var elements = XDocument.Load(policy).Descendants().ToList();
        string Resolve(string value) => Path.GetFullPath(Path.Combine(folder, value));
        var files = elements.SelectMany(e => e.Attributes().Where(a => FileAttributes.Contains(a.Name.LocalName) || (e.Name.LocalName == "File" && a.Name.LocalName == "Path")))
            .Select(a => Resolve(a.Value));
        var folders = elements.Where(e => e.Name.LocalName == "Folder").Select(e => Resolve((string)e.Attribute("Path")!))
            .Concat(elements.Where(e => e.Name.LocalName == "Harvesting").Select(e => Resolve((string)e.Attribute("Folder")!)));
        return (files.Distinct().ToArray(), folders.Distinct().ToArray());
    }

    /// <summary>A usable stand-in for each kind of file the examples name, by extension (and "root"/"ca" for CAs).</summary>
    private static void WriteExampleFile(string path)
    {
        var pki = TestPki.Shared;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var name = Path.GetFileNameWithoutExtension(path);
        switch (Path.GetExtension(path))
        {
            case ".pfx":
                File.WriteAllBytes(path, pki.Signer.ToPfx(Password, name, pki.Intermediate.Certificate, pki.Root.Certificate));
                break;
            case ".pwd":
                File.WriteAllText(path, Password + "\n");
                break;
            case ".key":
                File.WriteAllText(path, pki.Gateway.PrivateKeyPem);
                break;
            default:
                var certificate = name.EndsWith("root", StringComparison.Ordinal) ? pki.Root
                    : name.EndsWith("-ca", StringComparison.Ordinal) ? pki.Intermediate
                    : pki.Gateway;
                File.WriteAllText(path, certificate.CertificatePem);
                break;
        }
    }

    private static bool NamesAStoreSource(string policy, string error)
    {
        var storeLines = XDocument.Load(policy, LoadOptions.SetLineInfo).Descendants()
            .Where(e => e.Name.LocalName == "WindowsStore" || e.Attribute("Store") is not null)
            .Select(e => $"{Path.GetFileName(policy)}:{((System.Xml.IXmlLineInfo)e).LineNumber}:");
        return storeLines.Any(line => error.Contains(line, StringComparison.Ordinal));
    }
}
