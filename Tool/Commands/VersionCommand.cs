using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>`eea version`: the engine version this tool runs.</summary>
internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Summary => "Print the engine version.";

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var version = typeof(ExchangeEncryptionAgent.Diagnostics.EventIds).Assembly.GetName().Version;
        stdout.WriteLine($"eea {version}");
        return Program.ExitOk;
    }
}
