using System;
using System.Diagnostics;
using BenchmarkDotNet.Running;
using ExchangeEncryptionAgent.Benchmarks.Policy;

namespace ExchangeEncryptionAgent.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher (pass --filter and --job), or --quick for a rough best-of-N timing.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--quick")
        {
            // A sanity check while optimising on a shared machine: best of several rounds, no statistics.
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
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
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
