using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ExchangeEncryptionAgent.Tests.Policy;
using ExchangeEncryptionAgent.Tool;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Tool;

/// <summary>Runs `eea test` on a policy and a message written to files, and reads its JSON answer.</summary>
internal sealed class EeaTestRun
{
    private EeaTestRun(JsonElement root)
    {
        Root = root;
    }

    public JsonElement Root { get; }

    /// <summary>The names of the rules that matched.</summary>
    public IReadOnlyList<string> MatchedRules
        => Root.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("rule").GetString()!).ToArray();

    /// <summary>The message types `eea test` reports.</summary>
    public IReadOnlyList<string> Types
        => Root.GetProperty("message").GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray();

    /// <summary>The value the named condition of the named rule matched.</summary>
    public string? MatchedValue(string rule, string condition)
        => Root.GetProperty("matches").EnumerateArray()
            .Where(m => m.GetProperty("rule").GetString() == rule)
            .SelectMany(m => m.GetProperty("conditions").EnumerateArray())
            .Where(c => c.GetProperty("condition").GetString() == condition)
            .Select(c => c.GetProperty("value").GetString())
            .FirstOrDefault();

    /// <summary>Writes <paramref name="policyXml"/> and <paramref name="message"/> to a temporary folder and runs eea test.</summary>
    public static EeaTestRun Run(string policyXml, byte[] message, params string[] extraArgs)
    {
        using var temp = new TempDirectory();
        var policyPath = Path.Combine(temp.Path, "policy.xml");
        var messagePath = Path.Combine(temp.Path, "message.eml");
        File.WriteAllText(policyPath, policyXml);
        File.WriteAllBytes(messagePath, message);
        var args = new List<string> { "test", "--policy", policyPath, "--now", PolicyTestKit.Now.ToString("o", System.Globalization.CultureInfo.InvariantCulture) };
        args.AddRange(extraArgs);
        args.Add(messagePath);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = Program.Run(args.ToArray(), stdout, stderr);
        Assert.True(exit == 0, $"eea test exited {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout.ToString());
        return new EeaTestRun(json.RootElement.Clone());
    }
}
