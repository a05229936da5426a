using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using ExchangeEncryptionAgent.Exchange;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Exchange;

/// <summary>
/// The resolver that keeps other agents' MimeKit/BouncyCastle/System.* versions from breaking ours inside
/// EdgeTransport.exe. Probe assemblies get names unique to each test, so the runtime cannot find them anywhere but
/// through the resolver.
/// </summary>
public sealed class DependencyResolverTests : IDisposable
{
    private readonly string _agentFolder = Directory.CreateTempSubdirectory("eea-resolver-").FullName;

    public void Dispose() => Directory.Delete(_agentFolder, recursive: true);

    [Fact]
    public void Register_ThenLoadingAnAssemblyOnlyTheAgentFolderHas_Succeeds()
    {
        var name = WriteProbeAssembly(_agentFolder, new Version(1, 2, 3, 4));
        Assert.Throws<FileNotFoundException>(() => Assembly.Load(name));

        RegisterInFreshCopy(_agentFolder);

        var loaded = Assembly.Load(name);
        Assert.Equal(name, loaded.GetName().Name);
        Assert.Equal(Path.Combine(_agentFolder, name + ".dll"), loaded.Location);
    }

    [Fact]
    public void Register_AnswersARequestForAnotherVersion_WithTheAgentFolderCopy()
    {
        // What happens in EdgeTransport when another agent's binding of MimeKit wins: the version asked for is not ours.
        var name = WriteProbeAssembly(_agentFolder, new Version(1, 0, 0, 0));
        RegisterInFreshCopy(_agentFolder);

        var loaded = Assembly.Load(new AssemblyName(name) { Version = new Version(9, 9, 9, 9) });

        Assert.Equal(new Version(1, 0, 0, 0), loaded.GetName().Version);
    }

    [Fact]
    public void Register_LeavesDllsOutsideTheAgentFolderItselfUnresolved()
    {
        // Only the folder itself: a subfolder (Policies, Logs, a backup) must never become a source of assemblies.
        var subfolder = Directory.CreateDirectory(Path.Combine(_agentFolder, "Policies")).FullName;
        var nested = WriteProbeAssembly(subfolder, new Version(1, 0, 0, 0));
        RegisterInFreshCopy(_agentFolder);

        Assert.Throws<FileNotFoundException>(() => Assembly.Load(nested));
        Assert.Throws<FileNotFoundException>(() => Assembly.Load("EeaNotInFolder" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public void Register_IsIdempotent_OnlyTheFirstFolderCounts()
    {
        var secondFolder = Directory.CreateTempSubdirectory("eea-resolver-second-").FullName;
        try
        {
            var first = WriteProbeAssembly(_agentFolder, new Version(1, 0, 0, 0));
            var second = WriteProbeAssembly(secondFolder, new Version(1, 0, 0, 0));
            var register = FreshRegisterMethod();

            register(_agentFolder);
            register(secondFolder);

            Assert.Equal(first, Assembly.Load(first).GetName().Name);
            Assert.Throws<FileNotFoundException>(() => Assembly.Load(second));
        }
        finally
        {
            Directory.Delete(secondFolder, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("/no/such/folder/anywhere")]
    [InlineData("bad\0path")]
    public void Register_WithAnUnusableFolder_DoesNotThrow(string folder)
    {
        var register = FreshRegisterMethod();

        var exception = Record.Exception(() => register(folder));

        Assert.Null(exception);
    }

    [Fact]
    public void LoadFromAgentFolder_ResolvesBySimpleNameOnly()
    {
        var name = WriteProbeAssembly(_agentFolder, new Version(2, 0, 0, 0));
        var assemblies = DependencyResolver.FindAssemblies(_agentFolder);

        var byFullName = DependencyResolver.LoadFromAgentFolder(assemblies, name + ", Version=3.0.0.0, Culture=neutral, PublicKeyToken=null");
        var other = DependencyResolver.LoadFromAgentFolder(assemblies, "MimeKit, Version=4.18.0.0, Culture=neutral, PublicKeyToken=bede1c8a46c66814");

        Assert.NotNull(byFullName);
        Assert.Equal(name, byFullName.GetName().Name);
        Assert.Null(other);
    }

    [Fact]
    public void LoadFromAgentFolder_CorruptDll_ReturnsNullInsteadOfThrowing()
    {
        File.WriteAllBytes(Path.Combine(_agentFolder, "Corrupt.dll"), [0x4D, 0x5A, 0x00, 0x01, 0xFF, 0xFE]);
        var assemblies = DependencyResolver.FindAssemblies(_agentFolder);
        Assert.True(assemblies.ContainsKey("corrupt"), "the index is case-insensitive, as Windows file names are");

        var exception = Record.Exception(() => Assert.Null(DependencyResolver.LoadFromAgentFolder(assemblies, "Corrupt")));

        Assert.Null(exception);
    }

    [Fact]
    public void LoadFromAgentFolder_DllWhoseIdentityDiffersFromItsFileName_IsNotReturned()
    {
        var realName = WriteProbeAssembly(_agentFolder, new Version(1, 0, 0, 0));
        File.Move(Path.Combine(_agentFolder, realName + ".dll"), Path.Combine(_agentFolder, "Impostor.dll"));
        var assemblies = DependencyResolver.FindAssemblies(_agentFolder);

        Assert.Null(DependencyResolver.LoadFromAgentFolder(assemblies, "Impostor"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Not, A=Valid, Assembly=Name,,,")]
    public void LoadFromAgentFolder_MalformedRequest_ReturnsNull(string? requestedName)
    {
        var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Not"] = "/nowhere/Not.dll" };

        Assert.Null(DependencyResolver.LoadFromAgentFolder(assemblies, requestedName));
    }

    /// <summary>Writes a tiny real assembly named EeaProbe&lt;guid&gt; into <paramref name="folder"/>; returns its name.</summary>
    private static string WriteProbeAssembly(string folder, Version version)
    {
        var name = "EeaProbe" + Guid.NewGuid().ToString("N");
        var builder = new PersistedAssemblyBuilder(new AssemblyName(name) { Version = version }, typeof(object).Assembly);
        var module = builder.DefineDynamicModule(name);
        module.DefineType(name + ".Marker", TypeAttributes.Public | TypeAttributes.Class).CreateType();
        builder.Save(Path.Combine(folder, name + ".dll"));
        return name;
    }

    private static void RegisterInFreshCopy(string folder) => FreshRegisterMethod()(folder);

    /// <summary>
    /// Register hooks the AppDomain once per loaded copy of the agent. Each test loads its own copy of the agent
    /// assembly (a separate load context, so fresh static state) and calls Register there, so the tests stay
    /// independent of each other and of anything else in this process that registers the real agent folder.
    /// </summary>
    private static Action<string> FreshRegisterMethod()
    {
        var context = new AssemblyLoadContext("resolver-test-" + Guid.NewGuid().ToString("N"));
        var copy = context.LoadFromAssemblyPath(typeof(DependencyResolver).Assembly.Location);
        var method = copy.GetType(typeof(DependencyResolver).FullName!, throwOnError: true)!
            .GetMethod(nameof(DependencyResolver.Register), BindingFlags.Public | BindingFlags.Static)!;
        return folder => method.Invoke(null, [folder]);
    }
}
