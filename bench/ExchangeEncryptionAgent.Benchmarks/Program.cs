using System;
using System.Linq;
using BenchmarkDotNet.Running;
using ExchangeEncryptionAgent.Benchmarks.Inbound;

namespace ExchangeEncryptionAgent.Benchmarks;

/// <summary>
/// BenchmarkDotNet by default. "inbound-vs-openssl [sizes in MB...]" prints the side-by-side table of inbound decrypt
/// and verify against openssl; "inbound-once OPERATION FOLDER MESSAGE ITERATIONS" is the child process whose peak
/// memory is measured.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        args ??= Array.Empty<string>();
        if (args.Length > 0 && args[0] == InboundVersusOpenSsl.Mode)
        {
            return InboundVersusOpenSsl.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == InboundVersusOpenSsl.ChildMode)
        {
            return InboundVersusOpenSsl.RunOnce(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
