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
/// "smime-vs-openssl [operations...] [sizes...]" (outbound encrypt and sign), "inbound-vs-openssl [sizes in MB...]"
/// (decrypt and verify), "small-throughput POLICY [COUNT]" (10 KB messages through the whole pipeline beside openssl
/// speed); "--quick" gives a rough best-of-N timing of the policy benchmarks while optimising on a shared machine,
/// "--quick-hostile" only that of the hostile message classes. Their child modes ("smime-encrypt-once MESSAGE CERT",
/// "smime-sign-once Clear|Opaque MESSAGE CERT KEY", "inbound-once OPERATION FOLDER MESSAGE ITERATIONS") are the
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

        if (mode == "--quick-hostile")
        {
            // Optional: a class name (ManyHeaderFields, UnterminatedMultipart, ...) and sizes in MB, to time one class alone.
            QuickHostileTimings(args.Length > 1 ? args[1] : null, args.Skip(2).Select(int.Parse).ToArray());
            return 0;
        }

        if (mode == SmimeVersusOpenSsl.Mode)
        {
            return SmimeVersusOpenSsl.Run(args.Skip(1).ToArray());
        }

        if (mode == SmimeVersusOpenSsl.EncryptChildMode)
        {
            return SmimeVersusOpenSsl.EncryptOnce(args[1], args[2]);
        }

        if (mode == SmimeVersusOpenSsl.SignChildMode)
        {
            return SmimeVersusOpenSsl.SignOnce(args[1], args[2], args[3], args[4]);
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

        QuickHostileTimings();
    }

    /// <summary>
    /// Every hostile class at 1 and 8 MB, best of three: the table in docs/performance.md. With <paramref name="only"/>,
    /// that class alone (rules and inbound paths), at <paramref name="sizes"/> MB when given.
    /// </summary>
    private static void QuickHostileTimings(string? only = null, int[]? sizes = null)
    {
        foreach (var megabytes in sizes is { Length: > 0 } ? sizes : new[] { 1, 8 })
        {
            var rules = new HostileMessageBenchmarks { Megabytes = megabytes };
            rules.Setup();
            var inbound = new HostileStructureInboundBenchmarks { Megabytes = megabytes };
            inbound.Setup();
            var runs = new (string Name, Func<object> Action)[]
            {
                ("rules ManyHeaderFields", () => rules.ManyHeaderFields()),
                ("rules DeepNesting", () => rules.DeepNesting()),
                ("rules BrokenBase64", () => rules.BrokenBase64()),
                ("rules UnterminatedMultipart", () => rules.UnterminatedMultipart()),
                ("rules BinaryGarbage", () => rules.BinaryGarbage()),
                ("rules ManyTinyParts", () => rules.ManyTinyParts()),
                ("inbound DeepNesting", () => inbound.DeepNesting()!),
                ("inbound UnterminatedMultipart", () => inbound.UnterminatedMultipart()!),
                ("inbound ManyTinyParts", () => inbound.ManyTinyParts()!),
                ("inbound BinaryGarbage", () => inbound.BinaryGarbage()!),
            };
            foreach (var (name, action) in runs)
            {
                if (only is null || name.EndsWith(" " + only, StringComparison.Ordinal))
                {
                    Report($"{name} {megabytes} MB", 1, action, 3);
                }
            }
        }
    }

    private static void Report(string name, int iterations, Func<object> action, int rounds = 7)
    {
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < rounds; round++)
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
