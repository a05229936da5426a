using System.Collections.Generic;
using System.IO;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>One `eea` verb. Exit codes: 0 done, 1 the input is invalid (policy, message), 2 bad usage.</summary>
internal interface ICommand
{
    /// <summary>The verb typed on the command line.</summary>
    string Name { get; }

    /// <summary>One line for `eea help`.</summary>
    string Summary { get; }

    /// <summary>Runs the verb; never throws for bad input, returns the exit code instead.</summary>
    int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr);
}
