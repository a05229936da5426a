using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;

namespace ExchangeEncryptionAgent.Benchmarks.Inbound;

/// <summary>
/// Side by side with openssl: inbound decrypt (AES-256-CBC, AES-256-GCM) and verify (detached) of 1 MB and 25 MB
/// messages. Time: median wall time; ours in-process and warm (as in the transport service), openssl one process per
/// message (as its CLI is used). Memory: peak RSS of a child process doing the same work (GNU time %M), so both
/// numbers include their runtime's baseline; what matters is that ours does not grow with the message size.
/// </summary>
internal static class InboundVersusOpenSsl
{
    public const string Mode = "inbound-vs-openssl";
    public const string ChildMode = "inbound-once";
    private const int Iterations = 7;

    /// <summary>Runs before timing so tiered JIT settles, as in a long-running transport service.</summary>
    private const int WarmUps = 5;

    private static readonly string[] Operations = { "decrypt-cbc", "decrypt-gcm", "verify" };

    public static int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 1, 25 };
        var inputs = new InboundBenchmarkInputs(Path.Combine(Path.GetTempPath(), "eea-inbound-bench"));
        inputs.EnsurePki();
        Console.WriteLine("| Operation | Size | Message bytes | ours median ms | openssl median ms | ratio ours/openssl | ours allocated/op | ours peak RSS | openssl peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            inputs.EnsureMessages(size);
            foreach (var operation in Operations)
            {
                var message = MessageFor(operation, size);
                var ours = MeasureOurs(inputs, operation, message);
                var (openSslMs, openSslPeakKb) = MeasureOpenSsl(inputs, operation, message);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {operation} | {size} MB | {new FileInfo(inputs.Path(message)).Length:N0} | {ours.MedianMs:0.0} | {openSslMs:0.0} | {ours.MedianMs / openSslMs:0.00} | {ours.AllocatedPerOp / 1024.0 / 1024.0:0.0} MiB | {ours.PeakKb / 1024.0:0} MiB | {openSslPeakKb / 1024.0:0} MiB |"));
            }
        }

        return 0;
    }

    /// <summary>The child: runs the operation warm, prints "median-ms allocated-bytes-per-op".</summary>
    public static int RunOnce(string operation, string folder, string message, int iterations)
    {
        var inputs = new InboundBenchmarkInputs(folder);
        var transform = Prepare(inputs, operation);
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < WarmUps + iterations; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            transform(inputs.Path(message));
            watch.Stop();
            if (i >= WarmUps)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Median(times):0.00} {allocated / iterations}"));
        return 0;
    }

    /// <summary>One inbound run: message file in, result into a temporary file, as the pipeline chains transforms.</summary>
    internal static Action<string> Prepare(InboundBenchmarkInputs inputs, string operation)
    {
        var directory = inputs.Directory();
        var options = operation == "verify"
            ? new InboundSmimeOptions { Verify = new VerifySmimeAction(), TemporaryFiles = InboundBenchmarkInputs.Spool }
            : new InboundSmimeOptions { Decrypt = new DecryptSmimeAction(), TemporaryFiles = InboundBenchmarkInputs.Spool };
        return path =>
        {
            var transform = new InboundSmimeTransform(options, directory, NullAgentLog.Instance);
            using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            using var destination = new FileStream(Path.Combine(Path.GetTempPath(), "eea-bench-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            transform.Apply(source, destination, CancellationToken.None);
            var result = transform.Result!;
            if (result.Decryption is DecryptionOutcome.Failed or DecryptionOutcome.NotForUs || result.Signature is SignatureStatus.Invalid or SignatureStatus.Untrusted)
            {
                throw new InvalidOperationException($"{operation} did not succeed: {result.Decryption} {result.Signature} {result.SignatureProblem}");
            }
        };
    }

    internal static string MessageFor(string operation, int size) => operation switch
    {
        "decrypt-cbc" => $"enc-cbc-{size}.eml",
        "decrypt-gcm" => $"enc-gcm-{size}.eml",
        _ => $"signed-{size}.eml",
    };

    private static (double MedianMs, long AllocatedPerOp, long PeakKb) MeasureOurs(InboundBenchmarkInputs inputs, string operation, string message)
    {
        var self = typeof(InboundVersusOpenSsl).Assembly.Location;
        var (output, peakKb) = TimedProcess("dotnet", new[] { self, ChildMode, operation, inputs.Folder, message, Iterations.ToString(CultureInfo.InvariantCulture) }, inputs.Folder);
        var parts = output.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), peakKb);
    }

    private static (double MedianMs, long PeakKb) MeasureOpenSsl(InboundBenchmarkInputs inputs, string operation, string message)
    {
        var arguments = operation == "verify"
            ? new[] { "cms", "-verify", "-inform", "SMIME", "-in", message, "-CAfile", "ca.crt", "-out", "/dev/null" }
            : new[] { "cms", "-decrypt", "-inform", "SMIME", "-in", message, "-recip", "leaf.crt", "-inkey", "leaf.key", "-out", "/dev/null" };
        inputs.OpenSsl(arguments);
        var times = new List<double>();
        for (var i = 0; i < Iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            inputs.OpenSsl(arguments);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var (_, peakKb) = TimedProcess("openssl", arguments, inputs.Folder);
        return (Median(times), peakKb);
    }

    /// <summary>Runs under GNU time for the peak resident set size (KB).</summary>
    private static (string Output, long PeakKb) TimedProcess(string program, IEnumerable<string> arguments, string folder)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("PEAK_KB=%M");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(program + " failed: " + error);
        }

        var peak = error.Split('\n').Last(l => l.StartsWith("PEAK_KB=", StringComparison.Ordinal));
        return (output.Result, long.Parse(peak["PEAK_KB=".Length..], CultureInfo.InvariantCulture));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
