using System.Collections.Generic;
using System.IO;
using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>`eea validate FILE…`: load each policy exactly as the agent would and report every error.</summary>
internal sealed class ValidateCommand : ICommand
{
    public string Name => "validate";

    public string Summary => "Validate policy files: errors on stderr as file:line:col: rule 'name': message.";

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h")
        {
            stderr.WriteLine("usage: eea validate FILE...");
            return args.Count == 0 ? Program.ExitUsage : Program.ExitOk;
        }

        var exitCode = Program.ExitOk;
        foreach (var file in args)
        {
            var result = PolicyLoader.LoadFile(file);
            foreach (var warning in result.Warnings)
            {
                stderr.WriteLine("warning: " + warning);
            }

            if (result.Policy is { } policy)
            {
                stdout.WriteLine($"{file}: valid, {policy.Rules.Count} rules, SHA-256 {policy.Sha256}");
                continue;
            }

            foreach (var error in result.Errors)
            {
                stderr.WriteLine(error.ToString());
            }

            exitCode = Program.ExitInvalidInput;
        }

        return exitCode;
    }
}
