using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Benchmarks.Smime;

namespace ExchangeEncryptionAgent.Benchmarks.Pipeline;

/// <summary>
/// "small-throughput POLICY [COUNT]": COUNT 10 KB messages, one at a time, through the simulated transport and the real
/// agent factory (evaluate, sign, encrypt, write the copy), beside the limit the machine sets for the same crypto,
/// measured in the same run with openssl speed: one RSA-2048 private operation (the signature), one public operation
/// (the key transport) and AES-256-CBC over 10 KB per message. The ratio limit/ours is issue 12's figure (goal ≤ 2).
/// </summary>
internal static class SmallMessageThroughput
{
    public const string Mode = "small-throughput";
    private const int MessageBytes = 10 * 1024;
    private const int WarmUps = 200;
    private const string From = "alice@contoso.example";
    private const string To = "dave@fabrikam.example";
    private static readonly string[] AcceptedDomains = { "contoso.example" };

    public static int Run(string[] args)
    {
        var policyPath = Path.GetFullPath(args[0]);
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var spool = Path.Combine(Path.GetTempPath(), "eea-small-throughput-" + Guid.NewGuid().ToString("N"));
        var content = Message();
        try
        {
            var loaded = LoadedPolicy.Load(policyPath, NullAgentLog.Instance);
            var policy = loaded.Value ?? throw new InvalidOperationException("policy did not load: " + string.Join("; ", loaded.Errors));
            using var runtime = AgentRuntimeFactory.CreateForPolicy(policy, new AgentSettings(), NullAgentLog.Instance, spool);
            var factory = new EncryptionRoutingAgentFactory(runtime);
            var simulator = new TransportSimulator(new TransportSimulatorOptions { AcceptedDomains = AcceptedDomains });
            for (var i = 0; i < WarmUps; i++)
            {
                RunOne(simulator, factory, content);
            }

            // CPU time beside wall time: on a shared machine the wall figure measures the other processes too.
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                RunOne(simulator, factory, content);
            }

            var ours = count / clock.Elapsed.TotalSeconds;
            self.Refresh();
            var cpuPerMessage = (self.TotalProcessorTime - cpuBefore).TotalSeconds / count;
            factory.Close();

            var (sign, verify) = RsaSpeed();
            var aes = AesBytesPerSecond();
            var limit = 1 / (sign + verify + (MessageBytes / aes));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                | messages | ours msg/s | ours CPU ms/msg | rsa2048 sign ms | rsa2048 public ms | aes-256-cbc MB/s (8 KB blocks) | limit msg/s | limit/ours | limit/ours by CPU |
                |---|---|---|---|---|---|---|---|---|
                | {count:N0} | {ours:0} | {cpuPerMessage * 1000:0.00} | {sign * 1000:0.000} | {verify * 1000:0.000} | {aes / 1e6:0} | {limit:0} | {limit / ours:0.00} | {limit * cpuPerMessage:0.00} |
                """));
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

    private static void RunOne(TransportSimulator simulator, EncryptionRoutingAgentFactory factory, byte[] content)
    {
        var message = SimulatedMessage.FromBytes(From, new[] { new SimulatedRecipient(To, false) }, content);
        using var result = simulator.Run(factory, message);
        var copy = result.Delivered.Single();

        // A copy that left unprotected would make the figure meaningless: the policy must have signed and encrypted.
        using var read = new StreamReader(copy.OpenRead(), Encoding.Latin1);
        var head = new char[4096];
        var headText = new string(head, 0, read.ReadBlock(head, 0, head.Length));
        if (!headText.Contains("application/pkcs7-mime", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("the copy was not encrypted: check the policy");
        }
    }

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
