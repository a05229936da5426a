using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Architecture;

/// <summary>
/// Plain text of messages is spooled only where the administrator said (AgentSettings.TemporaryDirectory, the CLI's
/// spool folders), through the one factory the runtime makes: no code in the agent or in eea may fall back to the
/// shared system temporary folder. Read from the compiled IL, so a fully qualified call or a lambda is caught too.
/// </summary>
public sealed class TemporaryFolderTests
{
    private static readonly string[] Forbidden = { "GetTempPath", "GetTempFileName" };

    public static TheoryData<string> Assemblies => new()
    {
        typeof(Guard).Assembly.Location,
        System.IO.Path.Combine(AppContext.BaseDirectory, "eea.dll"),
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void NoCodeUsesTheSystemTemporaryFolder(string path)
    {
        var callers = SystemTempCallers(path);

        Assert.True(callers.Count == 0,
            $"{System.IO.Path.GetFileName(path)} calls System.IO.Path temporary-folder methods (use the runtime's TemporaryFileFactory):{Environment.NewLine}    "
            + string.Join(Environment.NewLine + "    ", callers));
    }

    [Fact]
    public void TheCheckFindsACall()
    {
        // This test assembly calls Path.GetTempPath (test folders): the scan must see it, or the check above proves nothing.
        Assert.NotEmpty(SystemTempCallers(typeof(TemporaryFolderTests).Assembly.Location));
    }

    /// <summary>"Type::Method -> Path::GetTempPath" for every call of a forbidden method in the assembly at <paramref name="path"/>.</summary>
    private static List<string> SystemTempCallers(string path)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(path, new ReaderParameters { ReadSymbols = false });
        return assembly.MainModule.GetTypes()
            .SelectMany(t => t.Methods)
            .Where(m => m.HasBody)
            .SelectMany(m => m.Body.Instructions
                .Where(i => i.OpCode.FlowControl == FlowControl.Call && i.Operand is MethodReference called && IsForbidden(called))
                .Select(i => $"{m.DeclaringType.FullName}::{m.Name} -> {((MethodReference)i.Operand).FullName}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsForbidden(MethodReference method)
        => method.DeclaringType.FullName == "System.IO.Path" && Forbidden.Contains(method.Name, StringComparer.Ordinal);
}
