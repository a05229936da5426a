using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Smime;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Benchmarks.Smime;

/// <summary>
/// Side by side, in one run, on the same messages: our SmimeEncryptTransform (in-process, warm, as inside
/// EdgeTransport) against `openssl cms -encrypt -aes256 -stream -binary -outform SMIME` (one process per message, as
/// a gateway script would run it). Time is the median of several runs; memory is the peak RSS of a process doing
/// one message (/usr/bin/time), and for us also the bytes allocated per message in-process.
/// </summary>
internal static class SmimeVersusOpenSsl
{
    public const string Mode = "smime-vs-openssl";
    public const string ChildMode = "smime-encrypt-once";

    public static int Run(string[] sizeFilter)
    {
        var directory = Path.Combine(Path.GetTempPath(), "eea-bench");
        Directory.CreateDirectory(directory);
        var certificatePath = BenchmarkInputs.Certificate(directory);
        var certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(certificatePath));
        var transform = new SmimeEncryptTransform(new[] { certificate });
        var sizes = BenchmarkInputs.Sizes.Where(s => sizeFilter.Length == 0 || sizeFilter.Contains(s.Name.Replace(" ", string.Empty), StringComparer.OrdinalIgnoreCase)).ToList();

        Console.WriteLine($"openssl: {Tool.Run("openssl", "version").Trim()}; .NET {Environment.Version}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| message | openssl ms | ours ms (in-process) | ratio ours/openssl | openssl peak RSS | ours allocated/msg | ours process peak RSS | ours process wall ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, bytes) in sizes)
        {
            var message = BenchmarkInputs.Message(directory, bytes);
            var runs = bytes <= 1024 * 1024 ? 21 : bytes <= 25L * 1024 * 1024 ? 7 : 5;

            var openSslArguments = new[] { "cms", "-encrypt", "-aes256", "-stream", "-binary", "-outform", "SMIME", "-in", message, "-out", "/dev/null", certificatePath };
            var openSslTimes = new List<double>();
            for (var i = 0; i < runs + 1; i++)
            {
                var watch = Stopwatch.StartNew();
                Tool.Run("openssl", openSslArguments);
                if (i > 0)
                {
                    openSslTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var (_, openSslRss) = MeasureProcess("openssl", openSslArguments);

            var ourTimes = new List<double>();
            long allocated = 0;
            using (var source = File.OpenRead(message))
            using (var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write))
            {
                for (var i = 0; i < runs + 5; i++)
                {
                    source.Position = 0;
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var watch = Stopwatch.StartNew();
                    transform.Apply(source, sink, CancellationToken.None);
                    var elapsed = watch.Elapsed.TotalMilliseconds;
                    if (i >= 5)
                    {
                        ourTimes.Add(elapsed);
                        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    }
                }
            }

            var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
            var (ourWall, ourRss) = MeasureProcess(self, ChildMode, message, certificatePath);

            var openSslMedian = Median(openSslTimes);
            var ourMedian = Median(ourTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {openSslMedian:F1} | {ourMedian:F1} | {ourMedian / openSslMedian:F2} | {Mib(openSslRss)} | {allocated / 1024.0:F0} KiB | {Mib(ourRss)} | {ourWall:F0} |"));
        }

        return 0;
    }

    /// <summary>The child: encrypt one message to /dev/null and exit.</summary>
    public static int EncryptOnce(string message, string certificatePath)
    {
        var certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(certificatePath));
        using var source = File.OpenRead(message);
        using var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write);
        new SmimeEncryptTransform(new[] { certificate }).Apply(source, sink, CancellationToken.None);
        return 0;
    }

    /// <summary>Wall milliseconds and peak RSS (KiB) of one run, from /usr/bin/time.</summary>
    private static (double WallMs, long PeakKib) MeasureProcess(string fileName, params string[] arguments)
    {
        if (!File.Exists("/usr/bin/time"))
        {
            return (double.NaN, -1);
        }

        var output = Tool.Run("/usr/bin/time", new[] { "-f", "EEA-TIME %e %M", fileName }.Concat(arguments).ToArray());
        var line = output.Split('\n').Last(l => l.StartsWith("EEA-TIME ", StringComparison.Ordinal)).Split(' ');
        return (double.Parse(line[1], CultureInfo.InvariantCulture) * 1000, long.Parse(line[2], CultureInfo.InvariantCulture));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Mib(long kib) => kib < 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0:F1} MiB");
}
