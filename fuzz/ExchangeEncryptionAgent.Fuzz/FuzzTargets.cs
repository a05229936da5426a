using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>The targets by name: the command line, fuzz/run.sh and the corpus replay test use this one list.</summary>
public static class FuzzTargets
{
    /// <summary>Every target name, which is also its corpus folder under fuzz/corpus/.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "rules", "smime", "policy", "gateway" };

    /// <summary>Creates the target <paramref name="name"/> over <paramref name="fixture"/>; null for an unknown name.</summary>
    public static IFuzzTarget? Create(string name, FuzzFixture fixture) => name switch
    {
        "rules" => new MessageRulesTarget(fixture),
        "smime" => new InboundSmimeTarget(fixture),
        "policy" => new PolicyLoaderTarget(),
        "gateway" => new GatewaySessionTarget(fixture),
        _ => null,
    };
}
