using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Tool.Commands;

namespace ExchangeEncryptionAgent.Tool;

/// <summary>`eea`: the command-line face of the same engine the Exchange agent runs.</summary>
internal static class Program
{
    internal const int ExitOk = 0;
    internal const int ExitInvalidInput = 1;
    internal const int ExitUsage = 2;

    /// <summary>Every verb, in the order `eea help` lists them.</summary>
    internal static IReadOnlyList<ICommand> Commands { get; } = new ICommand[]
    {
        new VersionCommand(),
        new ValidateCommand(),
        new TestCommand(),
        new ProcessCommand(),
        new GatewayCommand(),
        new Demo.DemoCommand(),
    };

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintHelp(args.Count == 0 ? stderr : stdout);
            return args.Count == 0 ? ExitUsage : ExitOk;
        }

        var command = Commands.FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.Ordinal));
        if (command is null)
        {
            stderr.WriteLine($"eea: unknown command '{args[0]}'. Run 'eea help'.");
            return ExitUsage;
        }

        return command.Run(args.Skip(1).ToList(), stdout, stderr);
    }

    private static void PrintHelp(TextWriter writer)
    {
        writer.WriteLine("eea - ExchangeEncryptionAgent command-line tool");
        writer.WriteLine();
        writer.WriteLine("Commands:");
        foreach (var command in Commands)
        {
            writer.WriteLine($"  {command.Name,-10} {command.Summary}");
        }
    }
}
