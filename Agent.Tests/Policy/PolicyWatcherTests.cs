using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

public sealed class PolicyWatcherTests
{
    private static readonly PolicyWatcherOptions Fast = new()
    {
        Debounce = TimeSpan.FromMilliseconds(100),
        InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetries = 3,
    };

    /// <summary>Records events instead of writing them.</summary>
    private sealed class CollectingLog : IAgentLog
    {
        public ConcurrentQueue<(AgentEvent Event, string Message)> Entries { get; } = new();

        public void Write(AgentEvent agentEvent, string message, Exception? exception = null) => Entries.Enqueue((agentEvent, message));

        public bool IsEnabled(AgentEventLevel level) => true;

        public int Count(AgentEvent agentEvent) => Entries.Count(e => e.Event.Id == agentEvent.Id);
    }

    private static string ValidPolicy(int rules)
        => Document(string.Concat(Enumerable.Range(0, rules).Select(i => Rule($"R{i}", i))));

    [Fact]
    public void ValidThenInvalid_KeepsTheOld_ThenValid_Swaps()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "policy.xml");
        File.WriteAllText(file, ValidPolicy(1));
        var log = new CollectingLog();
        using var watcher = new PolicyWatcher<PolicySet>(temp.Path, () => LoadOutcome.FromPolicyFile(file, log), log, Fast);

        Assert.True(watcher.Start().Succeeded);
        var first = watcher.Current!;
        Assert.Single(first.Rules);
        Assert.Contains(log.Entries, e => e.Event.Id == 1100 && e.Message.Contains("1 rules, SHA-256 " + first.Sha256));

        File.WriteAllText(file, "<Policy>broken");
        var failed = watcher.ReloadNow();
        Assert.False(failed.Succeeded);
        Assert.Same(first, watcher.Current);
        Assert.Contains(log.Entries, e => e.Event.Id == 1101 && e.Message.Contains("The previous policy stays in force") && e.Message.Contains("policy.xml:1:"));

        File.WriteAllText(file, ValidPolicy(3));
        Assert.True(watcher.ReloadNow().Succeeded);
        Assert.Equal(3, watcher.Current!.Rules.Count);
        Assert.NotEqual(first.Sha256, watcher.Current.Sha256);
    }

    [Fact]
    public void FileChanges_AreDebounced_IntoOneReload()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "policy.xml");
        File.WriteAllText(file, ValidPolicy(1));
        var loads = 0;
        var log = new CollectingLog();
        using var reloaded = new SemaphoreSlim(0);
        using var watcher = new PolicyWatcher<PolicySet>(temp.Path, () =>
        {
            Interlocked.Increment(ref loads);
            return LoadOutcome.FromPolicyFile(file);
        }, log, new PolicyWatcherOptions { Debounce = TimeSpan.FromMilliseconds(400) });
        watcher.Start();
        watcher.Reloaded += (_, _) => reloaded.Release();
        Assert.Equal(1, loads);

        for (var i = 2; i <= 6; i++)
        {
            File.WriteAllText(file, ValidPolicy(i));
            Thread.Sleep(30);
        }

        Assert.True(reloaded.Wait(TimeSpan.FromSeconds(10)), "no reload after the writes");
        Assert.False(reloaded.Wait(TimeSpan.FromMilliseconds(800)), "more than one reload for one burst of writes");
        Assert.Equal(2, loads);
        Assert.Equal(6, watcher.Current!.Rules.Count);
    }

    [Fact]
    public void SharingViolation_IsRetried_WithBackoff()
    {
        var attempts = 0;
        var log = new CollectingLog();
        var value = new PolicySet();
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                throw new IOException("The process cannot access the file because it is being used by another process.");
            }

            return LoadOutcome.Success(value, "test");
        }, log, Fast);

        var outcome = watcher.ReloadNow();
        Assert.True(outcome.Succeeded);
        Assert.Equal(3, attempts);
        Assert.Same(value, watcher.Current);
        Assert.Equal(2, log.Count(EventIds.PolicyFileBusy));
    }

    [Fact]
    public void TransientFailure_GivesUpAfterMaxRetries_AndKeepsTheOldValue()
    {
        var attempts = 0;
        var log = new CollectingLog();
        var first = new PolicySet();
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () =>
            Interlocked.Increment(ref attempts) == 1
                ? LoadOutcome.Success(first, "first")
                : LoadOutcome.Failure<PolicySet>(new[] { "busy" }, isTransient: true), log, Fast);
        watcher.ReloadNow();
        var outcome = watcher.ReloadNow();
        Assert.False(outcome.Succeeded);
        Assert.Equal(1 + 1 + Fast.MaxRetries, attempts);
        Assert.Same(first, watcher.Current);
    }

    [Fact]
    public void ExceptionsFromLoaderOrSubscribers_NeverEscape()
    {
        var log = new CollectingLog();
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () => throw new InvalidOperationException("loader bug"), log, Fast);
        watcher.Reloaded += (_, _) => throw new InvalidOperationException("subscriber bug");
        var outcome = watcher.ReloadNow();
        Assert.False(outcome.Succeeded);
        Assert.Contains("loader bug", Assert.Single(outcome.Errors));
        Assert.Null(watcher.Current);
        Assert.Contains(log.Entries, e => e.Event.Id == EventIds.PolicyWatcherFailed.Id && e.Message.Contains("subscriber"));
        Assert.Contains(log.Entries, e => e.Event.Id == EventIds.PolicyLoadFailed.Id && e.Message.Contains("No policy is in force"));
    }

    [Fact]
    public void MissingDirectory_IsLogged_NotThrown()
    {
        var log = new CollectingLog();
        using var watcher = new PolicyWatcher<PolicySet>(Path.Combine(Path.GetTempPath(), "eea-missing-" + Guid.NewGuid().ToString("N")),
            () => LoadOutcome.Failure<PolicySet>(new[] { "missing" }), log, Fast);
        Assert.False(watcher.Start().Succeeded);
        Assert.Equal(1, log.Count(EventIds.PolicyWatcherFailed));
    }

    [Fact]
    public void Dispose_StopsWatching()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "policy.xml");
        File.WriteAllText(file, ValidPolicy(1));
        var loads = 0;
        var watcher = new PolicyWatcher<PolicySet>(temp.Path, () =>
        {
            Interlocked.Increment(ref loads);
            return LoadOutcome.FromPolicyFile(file);
        }, new CollectingLog(), Fast);
        watcher.Start();
        watcher.Dispose();
        File.WriteAllText(file, ValidPolicy(2));
        Thread.Sleep(500);
        Assert.Equal(1, loads);
        watcher.Dispose();
    }
}
