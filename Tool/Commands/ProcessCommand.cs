using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tool.Simulation;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>
/// `eea process`: runs the pipeline the agent runs (through the transport simulator) on one message and writes every
/// resulting copy, byte for byte, plus plan.json (docs/cli.md).
/// </summary>
internal sealed class ProcessCommand : ICommand
{
    private const string Usage = "usage: eea process --policy FILE --mail-from ADDR --rcpt ADDR [--rcpt ADDR]... [--origin " + OriginOption.Values + "] --out DIR MESSAGE.eml";
    private static readonly string[] Options = { "--policy", "--mail-from", "--rcpt", "--out", OriginOption.Name };

    public string Name => "process";

    public string Summary => "Run the agent's pipeline on a message; write the resulting copies and plan.json.";

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse(args, Options, out var problem);
        var policy = line?.Single("--policy");
        var output = line?.Single("--out");
        var mailFrom = line?.Single("--mail-from");
        if (line is null || policy is null || output is null || mailFrom is null || line.All("--rcpt").Count == 0 || line.Positional.Count != 1)
        {
            stderr.WriteLine("eea process: " + (problem ?? "--policy, --mail-from, --rcpt, --out and one MESSAGE.eml are required"));
            stderr.WriteLine(Usage);
            return Program.ExitUsage;
        }

        var message = line.Positional[0];
        if (!File.Exists(message))
        {
            stderr.WriteLine($"eea process: cannot read {message}");
            return Program.ExitInvalidInput;
        }

        using var logging = AgentLogging.CreateInMemory(out var memory, AgentEventLevel.Information);
        Directory.CreateDirectory(output);
        // Plain text passes through the spool: in the output folder the caller chose (not the shared system temp), removed at the end.
        var spool = Path.Combine(Path.GetFullPath(output), ".spool");
        try
        {
            var loaded = LoadedPolicy.Load(policy, logging.Log);
            if (loaded.Value is not { } policySet)
            {
                foreach (var error in loaded.Errors)
                {
                    stderr.WriteLine(error);
                }

                return Program.ExitInvalidInput;
            }

            // Created owner-only before anything writes to it: the simulated transport keeps its content files here too.
            OwnerOnlyFiles.EnsureDirectory(spool, tightenExisting: true);
            using (var runtime = AgentRuntimeFactory.CreateForPolicy(policySet, new AgentSettings(), logging.Log, spool))
            {
                var domains = policySet.Policy.Settings.OrganizationDomains;
                if (!OriginOption.TryResolve(line.Single(OriginOption.Name), mailFrom, domains, out var origin))
                {
                    stderr.WriteLine($"eea process: --origin takes {OriginOption.Values}");
                    stderr.WriteLine(Usage);
                    return Program.ExitUsage;
                }

                using var exchange = new SimulatedExchange(runtime, domains, spool);
                using var run = exchange.Run(mailFrom, line.All("--rcpt"), message, origin);
                var plan = PlanWriter.Write(run, output, Path.GetFileName(message));
                File.WriteAllText(Path.Combine(output, "plan.json"), plan);
                stdout.WriteLine(PlanWriter.Describe(run, Path.GetFileName(message)));
                foreach (var entry in memory.Logs.Where(l => l.StartsWith("WARN", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal)))
                {
                    stderr.WriteLine("event: " + entry);
                }
            }

            return Program.ExitOk;
        }
        finally
        {
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }
}
