using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEncryptionAgent.Tests.Architecture;

/// <summary>
/// The engine's layers, bottom first: a folder may use only folders before it. docs/architecture.md ("Layers")
/// draws the same order; <see cref="ArchitectureDocumentationTests"/> fails when the two differ.
/// </summary>
internal static class AgentLayers
{
    /// <summary>The folders of Agent/, bottom (used by all) to top (the Exchange host adapter).</summary>
    public static IReadOnlyList<string> Order { get; } = new[]
    {
        "Common", "Diagnostics", "Content", "Policy", "Certificates", "Smime", "Activation", "Processing", "Exchange",
    };

    /// <summary>
    /// Edges that stay forbidden whatever the order becomes: the policy model and its evaluation are pure (no keys,
    /// no crypto, no pipeline), and the engine never names Exchange, so other hosts (gateway, tool) reuse it.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> Never { get; } =
        Order.Where(f => f != "Exchange").SelectMany(f => new[] { (f, "Exchange"), (f, FolderDependencyGraph.MicrosoftExchange) })
            .Concat(new[] { "Certificates", "Smime", "Processing", "Activation" }.Select(t => ("Policy", t)))
            .ToList();

    /// <summary>
    /// Types counted in the folder they are moving to, by full name, while a move is under way on another branch
    /// (none now). <see cref="LayeringTests"/> fails on an entry whose type no longer exists, so it cannot go stale.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Relocated { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };

    /// <summary>Position of a folder in <see cref="Order"/> (-1 when unknown).</summary>
    public static int Rank(string folder) => Order.ToList().IndexOf(folder);

    /// <summary>What <paramref name="folder"/> may use: every folder below it.</summary>
    public static IReadOnlyList<string> MayUse(string folder)
    {
        var rank = Rank(folder);
        if (rank < 0)
        {
            throw new ArgumentException($"{folder} is not a layer", nameof(folder));
        }

        return Order.Take(rank).ToList();
    }
}
