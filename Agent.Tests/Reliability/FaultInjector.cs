using System;
using System.IO;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>Sets up one seam's fault around a <see cref="ReliabilityRig"/>, and says how (for docs/reliability.md).</summary>
internal static class FaultInjector
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How the fault is made, in the words of the generated matrix.</summary>
    public static string Describe(FaultSeam seam) => seam switch
    {
        FaultSeam.None => "no fault (control row)",
        FaultSeam.CertificateFilesUnreadable => "every certificate, key and CRL file unreadable (a folder in its place) when the policy loads",
        FaultSeam.CrlUnreadable => "the CRL file unreadable when the policy loads",
        FaultSeam.CertificateFilesVanish => "every certificate, key and CRL file deleted after the policy loaded; the watcher reloads",
        FaultSeam.SpoolDiskFull => "every spool file throws IOException (disk full) beyond 256 bytes",
        FaultSeam.SpoolFolderDeleted => "the spool folder deleted between two messages (of 128 KiB: past the spool's 64 KiB memory stage)",
        FaultSeam.SpoolFolderBlocked => "the spool folder replaced by a plain file between two messages (of 128 KiB: past the spool's 64 KiB memory stage)",
        FaultSeam.CryptoThrows => "each S/MIME transform (sign, encrypt, decrypt) throws CryptographicException after 64 bytes of output",
        FaultSeam.EngineThrows => "the engine throws InvalidOperationException while planning",
        FaultSeam.WriteStreamThrows => "Exchange's MIME write stream throws IOException on write",
        FaultSeam.ForkThrows => "Exchange's Fork throws",
        FaultSeam.DeferThrows => "the engine throws, then Exchange's Defer throws",
        FaultSeam.RoutingOverrideThrows => "Exchange's SetRoutingOverride throws",
        FaultSeam.RecipientRemoveThrows => "Exchange's Recipients.Remove (NDR) and Clear throw",
        FaultSeam.PolicyCorruptMidReload => "policy.xml overwritten with a corrupt file while running; the watcher reloads",
        FaultSeam.TimeLimit => "the engine stalls while planning until the processing time limit (300 ms here)",
        FaultSeam.TimeLimitThenDeferThrows => "each S/MIME transform stalls past the time limit (5 s here), then Exchange's Defer throws",
        FaultSeam.LoggerThrows => "the log target throws on every write",
        _ => throw new ArgumentOutOfRangeException(nameof(seam)),
    };

    /// <summary>A rig with <paramref name="seam"/>'s fault in place, ready for <paramref name="message"/>; the simulator faults in <paramref name="host"/>.</summary>
    public static ReliabilityRig Prepare(PipelineFixture fixture, FaultSeam seam, TrafficMessage message, out TransportSimulatorOptions host)
    {
        // 300 ms where every class reaches the stall; where only the S/MIME classes do, the least limit an administrator can
        // set (5 s), so that on a loaded machine the other classes' ordinary work never meets the limit.
        var timeLimit = seam switch
        {
            FaultSeam.TimeLimit => TimeSpan.FromMilliseconds(300),
            FaultSeam.TimeLimitThenDeferThrows => AgentSettings.MinProcessingTimeLimit,
            _ => (TimeSpan?)null,
        };
        var wrapped = seam is FaultSeam.CryptoThrows or FaultSeam.EngineThrows or FaultSeam.DeferThrows or FaultSeam.TimeLimit or FaultSeam.TimeLimitThenDeferThrows;
        Action<string>? beforeLoad = seam switch
        {
            FaultSeam.CertificateFilesUnreadable => pki => MakeUnreadable(pki, "*"),
            FaultSeam.CrlUnreadable => pki => MakeUnreadable(pki, "*.crl"),
            _ => null,
        };
        var rig = new ReliabilityRig(fixture, timeLimit, wrapped ? p => new FaultingProcessor(p, seam) : null, beforeLoad: beforeLoad,
            decorate: FaultingProcessor.BreaksCrypto(seam) ? t => FaultingProcessor.Decorate(t, seam) : null);
        host = seam switch
        {
            FaultSeam.WriteStreamThrows => new TransportSimulatorOptions { WriteStreamFault = _ => new IOException("Injected fault: the queue database refused the write.") },
            FaultSeam.ForkThrows => new TransportSimulatorOptions { ForkFault = () => new InvalidOperationException("Injected fault: Fork failed.") },
            FaultSeam.DeferThrows or FaultSeam.TimeLimitThenDeferThrows => new TransportSimulatorOptions { DeferFault = () => new InvalidOperationException("Injected fault: Defer failed.") },
            FaultSeam.RoutingOverrideThrows => new TransportSimulatorOptions { RoutingOverrideFault = () => new InvalidOperationException("Injected fault: SetRoutingOverride failed.") },
            FaultSeam.RecipientRemoveThrows => new TransportSimulatorOptions { RecipientRemoveFault = () => new InvalidOperationException("Injected fault: Remove failed.") },
            _ => new TransportSimulatorOptions(),
        };

        switch (seam)
        {
            case FaultSeam.CertificateFilesVanish:
                var reloads = rig.Log.Count(EventIds.PolicyLoadFailed);
                foreach (var file in Directory.GetFiles(rig.Pki))
                {
                    File.Delete(file);
                }

                Assert.True(rig.WaitForEvent(EventIds.PolicyLoadFailed, reloads + 1, ReloadTimeout), rig.Log.ToString());
                break;
            case FaultSeam.PolicyCorruptMidReload:
                File.WriteAllText(rig.PolicyFile, rig.ValidPolicy[..(rig.ValidPolicy.Length / 2)]);
                Assert.True(rig.WaitForEvent(EventIds.PolicyLoadFailed, 1, ReloadTimeout), rig.Log.ToString());
                break;
            case FaultSeam.SpoolDiskFull:
                TemporaryFileFactory.FaultInjectors[rig.Spool] = path => new DiskFullFileStream(path, 256);
                break;
            case FaultSeam.SpoolFolderDeleted or FaultSeam.SpoolFolderBlocked:
                // A first message makes the spool folder and the factory's "folder ready" state; then it goes.
                using (rig.Run(message with { }))
                {
                }

                rig.Log.Reset();
                Directory.CreateDirectory(rig.Spool);
                Directory.Delete(rig.Spool, recursive: true);
                if (seam == FaultSeam.SpoolFolderBlocked)
                {
                    File.WriteAllText(rig.Spool, "not a folder");
                }

                break;
            case FaultSeam.LoggerThrows:
                rig.Log.Break();
                break;
        }

        return rig;
    }

    /// <summary>Replaces each matching file by a folder of the same name: reading it fails even for root, who ignores file modes.</summary>
    private static void MakeUnreadable(string folder, string pattern)
    {
        foreach (var file in Directory.GetFiles(folder, pattern))
        {
            File.Delete(file);
            Directory.CreateDirectory(file);
        }
    }
}
