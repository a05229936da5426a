using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>A small parser for "--name value" options (repeatable) and positional arguments.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public List<string> Positional { get; } = new();

    /// <summary>Parses <paramref name="args"/>; every option in <paramref name="known"/> takes one value.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> known, out string? problem)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                line.Positional.Add(arg);
                continue;
            }

            if (!((ICollection<string>)known).Contains(arg))
            {
                problem = $"unknown option {arg}";
                return null;
            }

            if (i + 1 >= args.Count)
            {
                problem = $"{arg} needs a value";
                return null;
            }

            if (!line._options.TryGetValue(arg, out var values))
            {
                line._options[arg] = values = new List<string>();
            }

            values.Add(args[++i]);
        }

        problem = null;
        return line;
    }

    public string? Single(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var values) ? values : Array.Empty<string>();
}
