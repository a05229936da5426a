using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Running;
using ExchangeEncryptionAgent.Benchmarks.Inbound;
using ExchangeEncryptionAgent.Benchmarks.Pipeline;
using ExchangeEncryptionAgent.Benchmarks.Policy;
using ExchangeEncryptionAgent.Benchmarks.Smime;

namespace ExchangeEncryptionAgent.Benchmarks;

/// <summary>
/// BenchmarkDotNet by default. Side-by-side modes against openssl:
/// "smime-vs-openssl [sizes...]" (outbound encrypt), "inbound-vs-openssl [sizes in MB...]" (decrypt and verify),
/// "small-throughput POLICY [COUNT]" (10 KB messages through the whole pipeline beside openssl speed);
/// "--quick" gives a rough best-of-N timing of the policy benchmarks while optimising on a shared machine.
/// Their child modes ("smime-encrypt-once MESSAGE CERT", "inbound-once OPERATION FOLDER MESSAGE ITERATIONS") are the
/// processes whose peak memory is measured.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        args ??= Array.Empty<string>();
        var mode = args.Length > 0 ? args[0] : string.Empty;
        if (mode == "--quick")
        {
            QuickPolicyTimings();
            return 0;
        }

        if (mode == SmimeVersusOpenSsl.Mode)
        {
            return SmimeVersusOpenSsl.Run(args.Skip(1).ToArray());
        }

        if (mode == SmimeVersusOpenSsl.ChildMode)
        {
            return SmimeVersusOpenSsl.EncryptOnce(args[1], args[2]);
        }

        if (mode == SmallMessageThroughput.Mode)
        {
            return SmallMessageThroughput.Run(args.Skip(1).ToArray());
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

    private static void QuickPolicyTimings()
    {
        var evaluation = new PolicyEvaluationBenchmarks();
        evaluation.Setup();
        Report("Evaluate100HeaderAndRecipientRules", 20_000, () => evaluation.Evaluate100HeaderAndRecipientRules());
        var content = new ContentConditionBenchmarks();
        content.Setup();
        Report("ScanWords4MB", 50, () => content.ScanWords4MB());
        Report("ScanPatterns4MB", 20, () => content.ScanPatterns4MB());
        Report("DecodeAndScanWords4MB", 20, () => content.DecodeAndScanWords4MB());
        var load = new PolicyLoadBenchmarks();
        load.Setup();
        Report("Load1000Rules", 5, () => load.Load1000Rules());
        Report("Load10000Rules", 1, () => load.Load10000Rules());
        Report("RejectBillionLaughs", 20, () => load.RejectBillionLaughs());
        var regex = new CatastrophicRegexBenchmarks();
        regex.Setup();
        Report("EvaluateCatastrophicPattern", 1, () => regex.EvaluateCatastrophicPattern());
        foreach (var megabytes in new[] { 1, 8 })
        {
            var hostile = new HostileHeaderBenchmarks { Megabytes = megabytes };
            hostile.Setup();
            Report($"OneLongHeaderLine {megabytes} MB", 1, () => hostile.OneLongHeaderLine());
            Report($"OneLongFoldedHeader {megabytes} MB", 1, () => hostile.OneLongFoldedHeader());
        }
    }

    private static void Report(string name, int iterations, Func<object> action)
    {
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < 7; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            var perCall = watch.Elapsed / iterations;
            best = perCall < best ? perCall : best;
        }

        Console.WriteLine($"{name,-40} best {best.TotalMicroseconds,12:0.0} us/op");
    }
}
