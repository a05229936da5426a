using System;
using System.Linq;
using BenchmarkDotNet.Running;
using ExchangeEncryptionAgent.Benchmarks.Inbound;
using ExchangeEncryptionAgent.Benchmarks.Smime;

namespace ExchangeEncryptionAgent.Benchmarks;

/// <summary>
/// BenchmarkDotNet by default. Side-by-side modes against openssl:
/// "smime-vs-openssl [sizes...]" (outbound encrypt), "inbound-vs-openssl [sizes in MB...]" (decrypt and verify).
/// Their child modes ("smime-encrypt-once MESSAGE CERT", "inbound-once OPERATION FOLDER MESSAGE ITERATIONS") are the
/// processes whose peak memory is measured.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        args ??= Array.Empty<string>();
        var mode = args.Length > 0 ? args[0] : string.Empty;
        if (mode == SmimeVersusOpenSsl.Mode)
        {
            return SmimeVersusOpenSsl.Run(args.Skip(1).ToArray());
        }

        if (mode == SmimeVersusOpenSsl.ChildMode)
        {
            return SmimeVersusOpenSsl.EncryptOnce(args[1], args[2]);
        }

        if (mode == InboundVersusOpenSsl.Mode)
        {
            return InboundVersusOpenSsl.Run(args.Skip(1).ToArray());
        }

        if (mode == InboundVersusOpenSsl.ChildMode)
        {
            return InboundVersusOpenSsl.RunOnce(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
