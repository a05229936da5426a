using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Tests.Processing;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>One reading of the process during a soak.</summary>
/// <remarks>
/// GcCommittedBytes is what the runtime's collector holds from the operating system (live objects plus free space it
/// keeps for the next allocations): resident memory minus it is native memory (runtime, OpenSSL, the C allocator).
/// </remarks>
internal sealed record SoakSample(int Messages, TimeSpan Elapsed, long HeapBytes, long GcCommittedBytes, long RssBytes, int Handles);

/// <summary>What a soak saw.</summary>
internal sealed class SoakReport
{
    public List<SoakSample> Samples { get; } = new();

    public Dictionary<(MessageClass Class, FaultOutcome Outcome), int> Outcomes { get; } = new();

    public List<string> Problems { get; } = new();

    public int Messages { get; set; }

    public int Rewrites { get; set; }

    public long Reloads { get; set; }

    public long FailedReloads { get; set; }

    public TimeSpan Wall { get; set; }

    /// <summary>The first sample after warm-up (the baseline) and the last one.</summary>
    public SoakSample Baseline => Samples[1];

    public SoakSample Last => Samples[^1];

    /// <summary>
    /// The highest resident memory over one quarter (0 to 3) of the samples from the baseline on. Resident memory swings
    /// with the allocators' caching (docs/reliability.md "Soak"), so one late sample says little; a leak shows as the
    /// last quarter's peak above the second quarter's.
    /// </summary>
    public long PeakResident(int quarter)
    {
        var afterWarmUp = Samples.Skip(1).ToList();
        var start = afterWarmUp.Count * quarter / 4;
        var end = Math.Max(start + 1, afterWarmUp.Count * (quarter + 1) / 4);
        return afterWarmUp.Skip(start).Take(end - start).Max(s => s.RssBytes);
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"messages {Messages}, wall {Wall.TotalSeconds:0.0} s, policy/certificate rewrites {Rewrites}, reloads {Reloads} ok / {FailedReloads} refused");
        foreach (var outcome in Outcomes.OrderBy(o => o.Key.Class).ThenBy(o => o.Key.Outcome))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {outcome.Key.Class} -> {outcome.Key.Outcome}: {outcome.Value}");
        }

        text.AppendLine("messages,elapsed_s,heap_mb,gc_committed_mb,rss_mb,fds");
        foreach (var s in Samples)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Messages},{s.Elapsed.TotalSeconds:0.0},{s.HeapBytes / 1048576.0:0.0},{s.GcCommittedBytes / 1048576.0:0.0},{s.RssBytes / 1048576.0:0.0},{s.Handles}");
        }

        foreach (var problem in Problems.Take(20))
        {
            text.AppendLine("PROBLEM " + problem);
        }

        return text.ToString();
    }
}

/// <summary>
/// The soak: messages of mixed class and size through the simulated transport and the real agent (one factory, as on
/// a server) while a background task rewrites the policy and a certificate every 100 ms, valid and invalid versions in
/// turn. Every message's outcome is judged; the process is sampled (managed heap after a full collection, resident
/// memory, open file descriptors) after warm-up and at intervals.
/// </summary>
internal static class Soak
{
    private const string GarbageCertificate = "-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n";

    public static SoakReport Run(PipelineFixture fixture, int messages, int samples, TimeSpan? timeBox = null, Action<string>? progress = null)
    {
        var report = new SoakReport();
        var random = new Random(12);
        var inbound = new[] { 1_000, 8_000, 60_000, 1_000_000 }.Select(size => Traffic.Inbound(fixture, size)).ToArray();
        using var rig = new ReliabilityRig(fixture, keepLogText: false);
        var certificate = Path.Combine(rig.Pki, "fabrikam-gateway.crt");
        var validCertificate = File.ReadAllText(certificate);
        using var stop = new CancellationTokenSource();
        var rewriter = Task.Run(() => Rewrite(rig, certificate, validCertificate, report, stop.Token));
        var warmUp = Math.Max(1, Math.Min(messages / 10, 2_000));
        var sampleEvery = Math.Max(1, (messages - warmUp) / Math.Max(1, samples));

        // A time-boxed run (a loaded machine) also samples by time, and ends early, as a completed run.
        var sampleInterval = timeBox is { } box ? TimeSpan.FromTicks(box.Ticks / Math.Max(1, samples)) : TimeSpan.MaxValue;
        var clock = Stopwatch.StartNew();
        try
        {
            report.Samples.Add(Sample(0, clock.Elapsed));
            for (var i = 1; i <= messages; i++)
            {
                var message = Pick(random, inbound);
                using (var result = rig.Run(message))
                {
                    var outcome = Traffic.Judge(message, result);
                    var key = (message.Class, outcome);
                    report.Outcomes[key] = report.Outcomes.GetValueOrDefault(key) + 1;
                    if (!result.Healthy || !Defined(message.Class, outcome))
                    {
                        report.Problems.Add($"message {i} ({message.Class}, {message.Content.Length} bytes): {outcome}; {result.ToString().Replace('\n', ' ')}");
                    }
                }

                report.Messages = i;
                var last = i == messages || clock.Elapsed > timeBox;
                if (i == warmUp || (i > warmUp && ((i - warmUp) % sampleEvery == 0 || clock.Elapsed - report.Samples[^1].Elapsed > sampleInterval)) || last)
                {
                    report.Samples.Add(Sample(i, clock.Elapsed));
                    progress?.Invoke(report.Samples[^1] + ", problems " + report.Problems.Count);
                }

                if (last && i > warmUp)
                {
                    break;
                }
            }
        }
        finally
        {
            stop.Cancel();
            rewriter.Wait();
            report.Wall = clock.Elapsed;
            report.Reloads = rig.Log.Count(EventIds.PolicyLoaded);
            report.FailedReloads = rig.Log.Count(EventIds.PolicyLoadFailed);
        }

        if (rig.SpoolFilesLeft != 0)
        {
            report.Problems.Add(rig.SpoolFilesLeft + " file(s) left in the spool folder");
        }

        return report;
    }

    /// <summary>
    /// What each class may come to while the files change: the policy's treatment, or, for the class whose partner
    /// certificate is rewritten (garbage in turn), the rule's fallback (the loader skips an unreadable certificate file
    /// and loads the rest, event 2102, so the rule cannot encrypt until the file is valid again).
    /// </summary>
    private static bool Defined(MessageClass messageClass, FaultOutcome outcome) => messageClass switch
    {
        MessageClass.Pass => outcome == FaultOutcome.Unchanged,
        MessageClass.Encrypt => outcome is FaultOutcome.AsPolicy or FaultOutcome.Fallback,
        _ => outcome == FaultOutcome.AsPolicy,
    };

    /// <summary>Mostly small: 90% 1-10 KB, 9% 10-100 KB, 1% 100 KB-1 MB; classes in fixed proportions.</summary>
    private static TrafficMessage Pick(Random random, TrafficMessage[] inbound)
    {
        var roll = random.Next(100);
        var size = roll < 90 ? random.Next(1_000, 10_000) : roll < 99 ? random.Next(10_000, 100_000) : random.Next(100_000, 1_000_000);
        var kind = random.Next(100) switch
        {
            < 20 => MessageClass.Encrypt,
            < 32 => MessageClass.Sign,
            < 42 => MessageClass.SignAndEncrypt,
            < 50 => MessageClass.Reject,
            < 58 => MessageClass.Route,
            < 75 => MessageClass.InboundDecrypt,
            _ => MessageClass.Pass,
        };
        return kind != MessageClass.InboundDecrypt ? Traffic.Outbound(kind, size)
            : inbound[roll < 90 ? random.Next(2) : roll < 99 ? 2 : 3];
    }

    private static readonly TimeSpan HeldVersion = TimeSpan.FromMilliseconds(2_500);

    /// <summary>Every 100 ms: a valid policy and certificate, then a corrupt policy, then a valid policy with a corrupt certificate.</summary>
    private static void Rewrite(ReliabilityRig rig, string certificate, string validCertificate, SoakReport report, CancellationToken stop)
    {
        var half = rig.ValidPolicy[..(rig.ValidPolicy.Length / 2)];
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            switch (n % 4)
            {
                case 0 or 2:
                    File.WriteAllText(certificate, validCertificate);
                    File.WriteAllText(rig.PolicyFile, rig.ValidPolicy + "<!-- version " + n + " -->");
                    if (n % 4 == 2 && n / 4 % 10 == 0)
                    {
                        stop.WaitHandle.WaitOne(HeldVersion);
                    }

                    break;
                case 1:
                    File.WriteAllText(rig.PolicyFile, half);

                    // Every tenth cycle the corrupt policy, and then a valid one, stay longer than the watcher's MaxDelay
                    // (2 s): the watcher reloads at fixed delays after a change, and a 100 ms cycle can otherwise lock
                    // onto a phase in which every reload reads the same kind of version (seen on an idle machine), so
                    // "refused" and "reloaded" would be luck.
                    if (n / 4 % 10 == 0)
                    {
                        stop.WaitHandle.WaitOne(HeldVersion);
                    }

                    break;
                default:
                    File.WriteAllText(certificate, GarbageCertificate);
                    break;
            }

            report.Rewrites = n + 1;
            stop.WaitHandle.WaitOne(100);
        }

        File.WriteAllText(certificate, validCertificate);
        File.WriteAllText(rig.PolicyFile, rig.ValidPolicy);
    }

    private static SoakSample Sample(int messages, TimeSpan elapsed)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        var handles = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : process.HandleCount;
        return new SoakSample(messages, elapsed, heap, GC.GetGCMemoryInfo().TotalCommittedBytes, process.WorkingSet64, handles);
    }
}
