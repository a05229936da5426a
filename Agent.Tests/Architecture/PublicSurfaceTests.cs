using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Architecture;

/// <summary>
/// The agent's public surface is what its hosts use (issue 11): a public type of ExchangeEncryptionAgent.dll is
/// either named by eea.dll (which has no InternalsVisibleTo, so whatever it uses must be public) or listed in
/// <see cref="AllowList"/> with the reason a host needs it. Everything else is internal, so the engine can change
/// without breaking a host. Every folder of the engine is checked, Processing/ and Exchange/ included.
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>Public types eea.dll does not name, by full name, with the reason they stay public.</summary>
    private static readonly IReadOnlyDictionary<string, string> AllowList = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ExchangeEncryptionAgent.Activation.PolicyInventory"] =
            "the installer calls PolicyInventory.Read by reflection (Installer/Private/Boundary.AgentAssembly.ps1)",
        ["ExchangeEncryptionAgent.Activation.PolicyInventoryResult"] =
            "what PolicyInventory.Read returns to the installer, which reads its properties",
        ["ExchangeEncryptionAgent.Activation.PolicyFileValidator"] =
            "documented for administrators' scripts (docs/policy-reference.md) and checked by InstallerContractTests on the net48 DLL",
        ["ExchangeEncryptionAgent.Processing.FailureOutcome"] =
            "the type of AgentSettings.OnNoValidPolicy and OnInternalError: a host that builds AgentSettings sets them",
        ["ExchangeEncryptionAgent.Content.AgentHeaders"] =
            "eea's plan writer names the X-EEA fields by these constants, which the compiler copies into eea.dll (no reference left to see)",
    };

    private static readonly Lazy<Surface> Scan = new(Surface.Read);

    [Fact]
    public void Every_public_type_is_used_by_a_host_or_allowed_with_a_reason()
    {
        var unjustified = Scan.Value.Public
            .Where(t => !Scan.Value.UsedByTool.Contains(t) && !AllowList.ContainsKey(t))
            .ToList();

        Assert.True(unjustified.Count == 0,
            "Public types no host uses: make them internal, or add them to PublicSurfaceTests.AllowList with the reason:"
            + Environment.NewLine + string.Join(Environment.NewLine, unjustified));
    }

    [Fact]
    public void Every_allow_list_entry_is_still_needed()
    {
        // An entry for a type that became internal, moved, or is now named by eea would hide the next mistake.
        var stale = AllowList.Keys
            .Where(t => !Scan.Value.Public.Contains(t) || Scan.Value.UsedByTool.Contains(t))
            .ToList();

        Assert.True(stale.Count == 0, "PublicSurfaceTests.AllowList entries no longer needed: " + string.Join(", ", stale));
    }

    [Fact]
    public void The_tool_reaches_the_agent_through_its_public_surface_only()
    {
        // Without this, an InternalsVisibleTo("eea") would make the whole engine count as "used by a host".
        using var agent = AssemblyDefinition.ReadAssembly(typeof(Guard).Assembly.Location);
        var friends = agent.CustomAttributes
            .Where(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.InternalsVisibleToAttribute")
            .Select(a => (string)a.ConstructorArguments[0].Value)
            .ToList();

        Assert.DoesNotContain("eea", friends, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_scan_sees_what_the_tool_uses()
    {
        // Guards the test itself: were the reference scan broken, every type would look unused or none would.
        Assert.Contains("ExchangeEncryptionAgent.Processing.AgentRuntime", Scan.Value.UsedByTool);
        Assert.Contains("ExchangeEncryptionAgent.Activation.PolicyInventory", Scan.Value.Public);
        Assert.DoesNotContain("ExchangeEncryptionAgent.Guard", Scan.Value.Public);
    }

    /// <summary>The agent's checked public types and the agent types eea.dll names, by full name.</summary>
    private sealed class Surface
    {
        private Surface(SortedSet<string> @public, HashSet<string> usedByTool)
        {
            Public = @public;
            UsedByTool = usedByTool;
        }

        public SortedSet<string> Public { get; }

        public HashSet<string> UsedByTool { get; }

        public static Surface Read()
        {
            using var agent = AssemblyDefinition.ReadAssembly(typeof(Guard).Assembly.Location);
            var @public = new SortedSet<string>(
                agent.MainModule.Types
                    .Where(t => t.IsPublic && FolderDependencyGraph.FolderOf(t) is not null)
                    .Select(t => t.FullName),
                StringComparer.Ordinal);

            using var tool = AssemblyDefinition.ReadAssembly(typeof(ExchangeEncryptionAgent.Tool.Program).Assembly.Location);
            var agentName = agent.Name.Name;
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in tool.MainModule.GetTypeReferences())
            {
                var outer = reference;
                while (outer.DeclaringType is not null)
                {
                    outer = outer.DeclaringType;
                }

                if (outer.Scope is AssemblyNameReference scope && scope.Name == agentName)
                {
                    used.Add(outer.FullName);
                }
            }

            return new Surface(@public, used);
        }
    }
}
