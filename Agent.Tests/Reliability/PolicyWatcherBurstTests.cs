using System;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>Found by the soak: a folder changing more often than the debounce never reloaded. MaxDelay bounds the wait.</summary>
public sealed class PolicyWatcherBurstTests
{
    [Fact]
    public void FolderRewrittenEvery100Milliseconds_StillReloads()
    {
        var folder = Directory.CreateTempSubdirectory("eea-burst-").FullName;
        try
        {
            var file = Path.Combine(folder, "policy.xml");
            File.WriteAllText(file, "0");
            var loads = 0;
            var options = new PolicyWatcherOptions { Debounce = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(1) };
            using var watcher = new PolicyWatcher<string>(folder, () => { Interlocked.Increment(ref loads); return LoadOutcome.Success(File.ReadAllText(file), "text"); }, NullAgentLog.Instance, options);
            watcher.Start();

            // Keep writing (never quiet for the debounce) until a reload happened, for at most 30 s.
            for (var n = 1; n < 300 && Volatile.Read(ref loads) < 2; n++)
            {
                File.WriteAllText(file, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Thread.Sleep(100);
            }

            Assert.True(Volatile.Read(ref loads) >= 2, "no reload while the folder kept changing");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
