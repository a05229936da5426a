using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Text;
using System.Text.RegularExpressions;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Benchmarks.Smime;

namespace ExchangeEncryptionAgent.Benchmarks.Pipeline;

/// <summary>
/// "small-throughput POLICY [COUNT] [direct|simulator|both]": COUNT 10 KB messages, one at a time, through the agent
/// (evaluate, sign, encrypt, write the copy) beside the limit the machine sets for the same crypto, measured in the same
/// run with openssl speed: one RSA-2048 private operation (the signature), one public operation (the key transport) and
/// AES-256-CBC over 10 KB per message. The ratio limit/ours is issue 12's figure (goal ≤ 2). Two variants: "direct"
/// drives the runtime's planner and copy builder as the Exchange adapter does (what the agent costs in Exchange);
/// "simulator" goes through the transport simulator and the real agent factory (the agent plus the simulator's test
/// scaffolding). A sample of each variant's copies is decrypted and verified with openssl cms.
/// </summary>
internal static class SmallMessageThroughput
{
    public const string Mode = "small-throughput";
    private const int MessageBytes = 10 * 1024;
    private const int MinWarmUps = 200;
    private const int MaxWarmUps = 20_000;
    private const int WarmUpBatch = 100;
    private static readonly TimeSpan MinWarmUpTime = TimeSpan.FromSeconds(3);
    private const int Samples = 5;
    private const string From = "alice@contoso.example";
    private const string To = "dave@fabrikam.example";
    private static readonly string[] AcceptedDomains = { "contoso.example" };

    public static int Run(string[] args)
    {
        var policyPath = Path.GetFullPath(args[0]);
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var variant = args.Length > 2 ? args[2] : "both";
        var spool = Path.Combine(Path.GetTempPath(), "eea-small-throughput-" + Guid.NewGuid().ToString("N"));
        var content = Message();
        try
        {
            var loaded = LoadedPolicy.Load(policyPath, NullAgentLog.Instance);
            var policy = loaded.Value ?? throw new InvalidOperationException("policy did not load: " + string.Join("; ", loaded.Errors));
            using var runtime = AgentRuntimeFactory.CreateForPolicy(policy, new AgentSettings(), NullAgentLog.Instance, spool);
            var rows = new List<(string Variant, Measurement Figures)>();
            string? phases = null;
            if (variant is "direct" or "both")
            {
                var envelope = new MessageEnvelope(From, new[] { new EnvelopeRecipientInput(To, false) }, SubmissionOrigin.Mailbox, AcceptedDomains, From);
                var direct = new DirectPipelineMessage(runtime, envelope, content);
                rows.Add(("direct (planner + copy builder)", Measure(count, Path.GetDirectoryName(policyPath)!, () => direct.Run(), direct.ResetPhases)));
                phases = string.Create(CultureInfo.InvariantCulture,
                    $"direct, median wall time a message: planning (both stages) {direct.MedianPlanning.TotalMilliseconds:0.000} ms, building and writing the copy {direct.MedianBuilding.TotalMilliseconds:0.000} ms");
            }

            if (variant is "simulator" or "both")
            {
                var factory = new EncryptionRoutingAgentFactory(runtime);
                var simulator = new TransportSimulator(new TransportSimulatorOptions { AcceptedDomains = AcceptedDomains });
                rows.Add(("simulator (transport simulator + agent factory)", Measure(count, Path.GetDirectoryName(policyPath)!, () => RunOne(simulator, factory, content))));
                factory.Close();
            }

            var (sign, verify) = RsaSpeed();
            var aes = AesBytesPerSecond();
            var limit = 1 / (sign + verify + (MessageBytes / aes));
            Console.WriteLine("| variant | warm-up messages | messages | ours msg/s | ours CPU ms/msg | rsa2048 sign ms | rsa2048 public ms | aes-256-cbc MB/s (8 KB blocks) | limit msg/s | limit/ours | limit/ours by CPU |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var (name, figures) in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {figures.WarmUps:N0} | {count:N0} | {figures.PerSecond:0} | {figures.CpuSeconds * 1000:0.00} | {sign * 1000:0.000} | {verify * 1000:0.000} | {aes / 1e6:0} | {limit:0} | {limit / figures.PerSecond:0.00} | {limit * figures.CpuSeconds:0.00} |"));
            }

            // Below the table, so that its columns stay those of the rows already in docs/performance.md.
            Console.WriteLine();
            foreach (var (name, figures) in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: median wall time {figures.MedianSeconds * 1000:0.000} ms a message, allocated {figures.AllocatedBytes / 1024.0:0.0} KiB a message, {figures.Gen0PerThousand:0.0} gen-0 collections per 1,000 messages"));
            }

            if (phases is not null)
            {
                Console.WriteLine(phases);
            }

            return 0;
        }
        finally
        {
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    /// <summary>Warm-up, then COUNT timed messages; a sample of the copies is checked with openssl afterwards.</summary>
    private static Measurement Measure(int count, string demoFolder, Func<MemoryStream> runOne, Action? timedRunStarts = null)
    {
        // Warm-up until the JIT is done: tiered compilation recompiles hot methods in the background (tier 0, then an
        // instrumented tier, then the optimised one), which on a loaded machine takes thousands of messages. A host
        // that runs for days sees only the optimised code, so the timed run starts when two batches in a row compiled
        // nothing new and at least MinWarmUpTime has passed: the runtime promotes a method only after a pause in tier-0
        // activity (100 ms by default) and on a background thread, so one quiet batch of a fast variant (300 messages
        // in 0.2 s) could still be waiting for its promotions, and its timed run measured them.
        var warmUps = 0;
        var warmUpClock = Stopwatch.StartNew();
        for (var quietBatches = 0; warmUps < MaxWarmUps && (quietBatches < 2 || warmUps < MinWarmUps || warmUpClock.Elapsed < MinWarmUpTime); warmUps += WarmUpBatch)
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            for (var i = 0; i < WarmUpBatch; i++)
            {
                Check(runOne());
            }

            quietBatches = JitInfo.GetCompiledMethodCount() == compiled ? quietBatches + 1 : 0;
        }

        // CPU time beside wall time: on a shared machine the wall figure measures the other processes too.
        var sampleEvery = Math.Max(1, count / Samples);
        var samples = new List<byte[]>();
        timedRunStarts?.Invoke();
        using var self = Process.GetCurrentProcess();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var collectionsBefore = GC.CollectionCount(0);
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var each = new long[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var copy = runOne();
            each[i] = Stopwatch.GetTimestamp() - started;
            Check(copy);
            if (i % sampleEvery == 0)
            {
                copy.Position = 0;
                samples.Add(ReadAll(copy));
            }
        }

        var perSecond = count / clock.Elapsed.TotalSeconds;
        self.Refresh();
        var cpuPerMessage = (self.TotalProcessorTime - cpuBefore).TotalSeconds / count;
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count;
        var gen0PerThousand = (GC.CollectionCount(0) - collectionsBefore) * 1000.0 / count;
        Array.Sort(each);
        var median = Stopwatch.GetElapsedTime(0, each[count / 2]).TotalSeconds;
        OpenSslCheck(samples, demoFolder);
        return new Measurement(perSecond, cpuPerMessage, warmUps, allocated, gen0PerThousand, median);
    }

    private static MemoryStream RunOne(TransportSimulator simulator, EncryptionRoutingAgentFactory factory, byte[] content)
    {
        var message = SimulatedMessage.FromBytes(From, new[] { new SimulatedRecipient(To, false) }, content);
        using var result = simulator.Run(factory, message);
        var copy = result.Delivered.Single();
        using var read = copy.OpenRead();
        return new MemoryStream(ReadAll(read), writable: false);
    }

    /// <summary>A copy that left unprotected would make the figure meaningless: the policy must have signed and encrypted.</summary>
    private static void Check(Stream copy)
    {
        var head = new byte[4096];
        var headText = Encoding.Latin1.GetString(head, 0, copy.ReadAtLeast(head, head.Length, throwOnEndOfStream: false));
        if (!headText.Contains("application/pkcs7-mime", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("the copy was not encrypted: check the policy");
        }
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Each sampled copy decrypts with Fabrikam's gateway key and its clear signature verifies against the demo CA
    /// (openssl cms), and the signed text is the message's: the figure counts only copies a recipient can read.
    /// </summary>
    private static void OpenSslCheck(List<byte[]> samples, string demoFolder)
    {
        var pki = Path.Combine(demoFolder, "pki");
        var folder = Path.Combine(Path.GetTempPath(), "eea-small-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            for (var i = 0; i < samples.Count; i++)
            {
                var encrypted = Path.Combine(folder, i + ".eml");
                var signed = Path.Combine(folder, i + ".signed.eml");
                var text = Path.Combine(folder, i + ".txt");
                File.WriteAllBytes(encrypted, samples[i]);
                Tool.Run("openssl", "cms", "-decrypt", "-inform", "SMIME", "-in", encrypted, "-recip", Path.Combine(pki, "fabrikam-gateway.crt"), "-inkey", Path.Combine(pki, "fabrikam-gateway.key"), "-out", signed);
                Tool.Run("openssl", "cms", "-verify", "-inform", "SMIME", "-in", signed, "-CAfile", Path.Combine(pki, "ca.crt"), "-purpose", "any", "-out", text);
                if (!File.ReadAllText(text, Encoding.Latin1).Contains("Line 00000: the quarterly figures", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("openssl verified a copy whose text is not the message's");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private readonly record struct Measurement(double PerSecond, double CpuSeconds, int WarmUps, double AllocatedBytes, double Gen0PerThousand, double MedianSeconds);

    /// <summary>A 10 KB text message (headers, then lines of text up to the size).</summary>
    private static byte[] Message()
    {
        var text = new StringBuilder($"From: {From}\r\nTo: {To}\r\nSubject: Order confirmation\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        for (var line = 0; text.Length < MessageBytes; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Line {line:D5}: the quarterly figures are attached and confirmed.\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, MessageBytes));
    }

    /// <summary>Seconds per RSA-2048 private (sign) and public (verify) operation, from openssl speed.</summary>
    private static (double Sign, double Verify) RsaSpeed()
    {
        var output = Tool.Run("openssl", "speed", "-seconds", "3", "rsa2048");
        var match = Regex.Match(output, @"^rsa\s+2048 bits\s+([0-9.]+)s\s+([0-9.]+)s", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException("openssl speed rsa2048: unexpected output\n" + output);
        }

        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>AES-256-CBC bytes per second on 8 KB blocks (the nearest openssl speed block size to 10 KB).</summary>
    private static double AesBytesPerSecond()
    {
        var output = Tool.Run("openssl", "speed", "-seconds", "3", "-evp", "aes-256-cbc");
        var match = Regex.Match(output, @"^(?i:aes-256-cbc)((?:\s+[0-9.]+k){6})", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new InvalidOperationException("openssl speed aes-256-cbc: unexpected output\n" + output);
        }

        // Columns: 16, 64, 256, 1024, 8192, 16384 bytes; figures in thousands of bytes per second.
        var columns = match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(columns[4].TrimEnd('k'), CultureInfo.InvariantCulture) * 1000;
    }
}
