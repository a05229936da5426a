using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using ExchangeEncryptionAgent.Tests.Support;

namespace ExchangeEncryptionAgent.Tests.Architecture;

/// <summary>
/// The engine's folders form layers (<see cref="AgentLayers.Order"/>): no cycle, no upward edge, and the "never"
/// edges of issue 11 (the engine never names Exchange; Policy never uses Certificates, Smime, Processing or
/// Activation). Checked on the compiled net10.0 assembly, so method bodies and fully qualified names count.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Regex UsingDirective =
        new(@"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?((?:ExchangeEncryptionAgent\.\w+|Microsoft\.Exchange)[\w.]*)\s*;", RegexOptions.Multiline);

    private static readonly Lazy<FolderDependencyGraph> Graph =
        new(() => FolderDependencyGraph.Read(typeof(Guard).Assembly.Location));

    [Fact]
    public void Every_folder_of_the_agent_has_a_place_in_the_layers()
    {
        var unplaced = Graph.Value.Folders.Where(f => f != FolderDependencyGraph.MicrosoftExchange && AgentLayers.Rank(f) < 0).ToList();

        Assert.True(unplaced.Count == 0,
            "Folders (namespaces under ExchangeEncryptionAgent) missing from AgentLayers.Order and docs/architecture.md: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void Every_relocated_type_still_waits_for_its_move()
    {
        var assembly = typeof(Guard).Assembly;
        var stale = AgentLayers.Relocated.Keys.Where(name => assembly.GetType(name) is null).ToList();

        Assert.True(stale.Count == 0, "AgentLayers.Relocated names types that have moved or gone; delete the entries: " + string.Join(", ", stale));
    }

    [Fact]
    public void Folders_depend_on_each_other_without_cycles()
    {
        var cycles = FindCycles(Graph.Value);

        Assert.True(cycles.Count == 0,
            "Cycles between folders:" + Environment.NewLine + string.Join(Environment.NewLine, cycles.Select(DescribeCycle)));
    }

    [Fact]
    public void No_folder_uses_a_folder_above_it()
    {
        var graph = Graph.Value;
        var upward = (from folder in graph.Folders
                      where AgentLayers.Rank(folder) >= 0
                      from target in graph.Uses(folder)
                      where AgentLayers.Rank(target) > AgentLayers.Rank(folder)
                      select graph.Describe(folder, target)).ToList();

        Assert.True(upward.Count == 0,
            "Edges going up the layers (" + string.Join(" -> ", AgentLayers.Order) + "):" + Environment.NewLine + string.Join(Environment.NewLine, upward));
    }

    [Fact]
    public void Never_edges_are_absent()
    {
        var graph = Graph.Value;
        var present = AgentLayers.Never.Where(e => graph.Uses(e.From).Contains(e.To)).Select(e => graph.Describe(e.From, e.To)).ToList();

        Assert.True(present.Count == 0, "Forbidden dependencies:" + Environment.NewLine + string.Join(Environment.NewLine, present));
    }

    [Fact]
    public void Using_directives_follow_the_layers_too()
    {
        // The compiler drops an unused using (and "_ = typeof(T)"): read the sources as well, so even a using that
        // names nothing yet is refused where the folder may not go.
        var agent = Path.Combine(RepoPaths.Root, "Agent");
        var offending = new List<string>();
        foreach (var file in Directory.EnumerateFiles(agent, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(agent, file);
            var folder = relative.Split(Path.DirectorySeparatorChar)[0];
            if (AgentLayers.Rank(folder) < 0 || relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match use in UsingDirective.Matches(File.ReadAllText(file)))
            {
                var ns = use.Groups[1].Value;
                var target = ns.StartsWith("Microsoft.Exchange", StringComparison.Ordinal) ? FolderDependencyGraph.MicrosoftExchange : ns.Split('.')[1];
                var allowed = target == folder
                    || (target == FolderDependencyGraph.MicrosoftExchange ? folder == "Exchange" : AgentLayers.MayUse(folder).Contains(target));
                if (!allowed || AgentLayers.Never.Contains((folder, target)))
                {
                    offending.Add($"Agent/{relative.Replace(Path.DirectorySeparatorChar, '/')}: using {ns}");
                }
            }
        }

        Assert.True(offending.Count == 0, "Using directives against the layers:" + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public void The_reader_sees_references_in_signatures_and_method_bodies()
    {
        // Guards the guard: if the reader saw nothing, every test above would pass vacuously.
        var graph = Graph.Value;

        Assert.Contains(FolderDependencyGraph.MicrosoftExchange, graph.Uses("Exchange"));
        Assert.Contains("Processing", graph.Uses("Exchange"));
        Assert.Contains("Smime", graph.Uses("Processing"));
        Assert.Contains("Policy", graph.Uses("Certificates"));
        Assert.Contains(graph.Evidence("Processing", "Smime", int.MaxValue), e => e.Contains("SmimeEncryptTransform", StringComparison.Ordinal));
    }

    private static List<List<string>> FindCycles(FolderDependencyGraph graph)
    {
        // Tarjan's strongly connected components: every component with more than one folder is a cycle.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        var counter = 0;

        void Connect(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.Uses(v))
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    components.Add(component);
                }
            }
        }

        foreach (var folder in graph.Folders)
        {
            if (!index.ContainsKey(folder))
            {
                Connect(folder);
            }
        }

        return components;
    }

    private static string DescribeCycle(List<string> component)
    {
        var graph = Graph.Value;
        var edges = from source in component
                    from target in graph.Uses(source)
                    where component.Contains(target)
                    select "  " + graph.Describe(source, target);
        return "{" + string.Join(", ", component) + "}:" + Environment.NewLine + string.Join(Environment.NewLine, edges);
    }
}
