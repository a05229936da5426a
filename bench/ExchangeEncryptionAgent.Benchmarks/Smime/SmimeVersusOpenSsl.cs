using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Benchmarks.Smime;

/// <summary>
/// Side by side, in one run, on the same messages: our outbound transforms (in-process, warm, as inside
/// EdgeTransport) against the openssl command doing the same (one process per message, as a gateway script would run
/// it): SmimeEncryptTransform against `openssl cms -encrypt -aes256 -stream`, SmimeSignTransform (clear and opaque)
/// against `openssl cms -sign` (detached, and -nodetach). Time is the median of several runs; memory is the peak RSS
/// of a process doing one message (/usr/bin/time), and for us also the bytes allocated per message in-process.
/// </summary>
internal static class SmimeVersusOpenSsl
{
    public const string Mode = "smime-vs-openssl";
    public const string EncryptChildMode = "smime-encrypt-once";
    public const string SignChildMode = "smime-sign-once";

    private static readonly string[] Operations = { "encrypt", "sign-clear", "sign-opaque" };

    /// <summary>Arguments: operations (encrypt, sign-clear, sign-opaque) and sizes (1MB, 25MB...); none means all.</summary>
    public static int Run(string[] filter)
    {
        var directory = Path.Combine(Path.GetTempPath(), "eea-bench");
        Directory.CreateDirectory(directory);
        var certificatePath = BenchmarkInputs.Certificate(directory);
        var (signerCertificate, signerKey) = BenchmarkInputs.Signer(directory);
        var sizes = BenchmarkInputs.Sizes.Where(s => !filter.Any(IsSize) || filter.Contains(s.Name.Replace(" ", string.Empty), StringComparer.OrdinalIgnoreCase)).ToList();
        var operations = Operations.Where(o => !filter.Any(f => Operations.Contains(f)) || filter.Contains(o)).ToList();

        Console.WriteLine($"openssl: {Tool.Run("openssl", "version").Trim()}; .NET {Environment.Version}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");
        foreach (var operation in operations)
        {
            Console.WriteLine();
            Console.WriteLine($"{operation}: openssl {string.Join(' ', OpenSslArguments(operation, "MESSAGE", certificatePath, signerCertificate, signerKey))}");
            Console.WriteLine("| message | openssl ms | ours ms (in-process) | ratio ours/openssl | openssl peak RSS | ours allocated/msg | ours process peak RSS | ours process wall ms |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            var transform = Transform(operation, certificatePath, signerCertificate, signerKey);
            foreach (var (name, bytes) in sizes)
            {
                Console.WriteLine(Row(operation, name, bytes, directory, transform, certificatePath, signerCertificate, signerKey));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    /// <summary>The child: encrypt one message to /dev/null and exit.</summary>
    public static int EncryptOnce(string message, string certificatePath) => Once(message, Transform("encrypt", certificatePath, string.Empty, string.Empty));

    /// <summary>The child: sign one message (format Clear or Opaque) to /dev/null and exit.</summary>
    public static int SignOnce(string format, string message, string signerCertificate, string signerKey) =>
        Once(message, Transform(format == "Opaque" ? "sign-opaque" : "sign-clear", string.Empty, signerCertificate, signerKey));

    private static bool IsSize(string argument) => BenchmarkInputs.Sizes.Any(s => s.Name.Replace(" ", string.Empty).Equals(argument, StringComparison.OrdinalIgnoreCase));

    private static string Row(string operation, string name, long bytes, string directory, IMessageTransform transform, string certificatePath, string signerCertificate, string signerKey)
    {
        var message = BenchmarkInputs.Message(directory, bytes);
        var runs = bytes <= 1024 * 1024 ? 21 : bytes <= 25L * 1024 * 1024 ? 7 : 5;

        var openSslArguments = OpenSslArguments(operation, message, certificatePath, signerCertificate, signerKey);
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
        var childArguments = operation == "encrypt"
            ? new[] { EncryptChildMode, message, certificatePath }
            : new[] { SignChildMode, operation == "sign-opaque" ? "Opaque" : "Clear", message, signerCertificate, signerKey };
        var (ourWall, ourRss) = MeasureProcess(self, childArguments);

        var openSslMedian = Median(openSslTimes);
        var ourMedian = Median(ourTimes);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {openSslMedian:F1} | {ourMedian:F1} | {ourMedian / openSslMedian:F2} | {Mib(openSslRss)} | {allocated / 1024.0:F0} KiB | {Mib(ourRss)} | {ourWall:F0} |");
    }

    private static string[] OpenSslArguments(string operation, string message, string certificatePath, string signerCertificate, string signerKey) => operation switch
    {
        "encrypt" => new[] { "cms", "-encrypt", "-aes256", "-stream", "-binary", "-outform", "SMIME", "-in", message, "-out", "/dev/null", certificatePath },
        // Detached (openssl's default for -sign) is our default format, Clear: multipart/signed.
        "sign-clear" => new[] { "cms", "-sign", "-binary", "-md", "sha256", "-signer", signerCertificate, "-inkey", signerKey, "-in", message, "-out", "/dev/null" },
        _ => new[] { "cms", "-sign", "-nodetach", "-stream", "-binary", "-md", "sha256", "-signer", signerCertificate, "-inkey", signerKey, "-outform", "SMIME", "-in", message, "-out", "/dev/null" },
    };

    private static IMessageTransform Transform(string operation, string certificatePath, string signerCertificate, string signerKey)
    {
        if (operation == "encrypt")
        {
            var certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(certificatePath));
            return new SmimeEncryptTransform(new[] { certificate });
        }

        var signer = new PrivateKeyEntry("benchmark", CertificateFiles.ReadCertificates(signerCertificate)[0], CertificateFiles.ReadPrivateKey(signerKey, null), Array.Empty<X509Certificate>());
        return new SmimeSignTransform(signer, operation == "sign-opaque" ? SignatureFormat.Opaque : SignatureFormat.Clear);
    }

    private static int Once(string message, IMessageTransform transform)
    {
        using var source = File.OpenRead(message);
        using var sink = new FileStream("/dev/null", FileMode.Open, FileAccess.Write);
        transform.Apply(source, sink, CancellationToken.None);
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

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Mib(long kib) => kib < 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0:F1} MiB");
}
