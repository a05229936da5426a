using System;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>
/// The watcher runs on a clock and a change trigger the tests move and fire by hand: debounce and back-off are
/// checked in simulated time, so no test sleeps and none depends on how fast the machine is.
/// </summary>
public sealed class PolicyWatcherTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(400);

    private readonly ManualWatcherClock _clock = new();
    private readonly ManualFolderChanges _changes = new();

    private PolicyWatcherOptions Manual => new()
    {
        Debounce = Debounce,
        InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetries = 3,
        Clock = _clock,
        Changes = _changes,
    };

    public void Dispose() => _changes.Dispose();

    private static string ValidPolicy(int rules)
        => Document(string.Concat(Enumerable.Range(0, rules).Select(i => Rule($"R{i}", i))));

    [Fact]
    public void ValidThenInvalid_KeepsTheOld_ThenValid_Swaps()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "policy.xml");
        File.WriteAllText(file, ValidPolicy(1));
        var log = new CollectingAgentLog();
        using var watcher = new PolicyWatcher<PolicySet>(temp.Path, () => LoadOutcome.FromPolicyFile(file, log), log, Manual);

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
        var reloads = 0;
        using var watcher = new PolicyWatcher<PolicySet>(temp.Path, () =>
        {
            Interlocked.Increment(ref loads);
            return LoadOutcome.FromPolicyFile(file);
        }, new CollectingAgentLog(), Manual);
        watcher.Start();
        watcher.Reloaded += (_, _) => reloads++;
        Assert.Equal(1, loads);

        // An editor saving in steps: each notice comes before the folder has been quiet for the debounce.
        for (var i = 2; i <= 6; i++)
        {
            File.WriteAllText(file, ValidPolicy(i));
            _changes.Fire();
            _clock.Advance(Debounce / 4);
        }

        Assert.Equal(0, reloads);
        _clock.Advance(Debounce);
        Assert.Equal(1, reloads);
        _clock.Advance(Debounce * 10);
        Assert.Equal(1, reloads);
        Assert.Equal(2, loads);
        Assert.Equal(6, watcher.Current!.Rules.Count);
    }

    [Fact]
    public void LostNotices_AreLogged_AndReloaded()
    {
        var loads = 0;
        var log = new CollectingAgentLog();
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () =>
        {
            Interlocked.Increment(ref loads);
            return LoadOutcome.Success(new PolicySet(), "test");
        }, log, Manual);
        watcher.Start();

        _changes.Lose(new InternalBufferOverflowException("too many changes"));
        _clock.Advance(Debounce);

        Assert.Equal(2, loads);
        Assert.Contains(log.Entries, e => e.Event.Id == EventIds.PolicyWatcherFailed.Id && e.Message.Contains("too many changes"));
    }

    [Fact]
    public void FileSystemChangeSource_ReportsAWriteInTheFolder()
    {
        // The one test of the real notices: it waits for the operating system's signal, never for a fixed time.
        using var temp = new TempDirectory();
        using var changed = new ManualResetEventSlim();
        using var source = new FileSystemChangeSource(temp.Path, "*", includeSubdirectories: true);
        source.Start(changed.Set, _ => changed.Set());

        File.WriteAllText(Path.Combine(temp.Path, "policy.xml"), ValidPolicy(1));

        Assert.True(changed.Wait(TimeSpan.FromMinutes(1)), "no change notice for a file written in the folder");
    }

    [Fact]
    public void SharingViolation_IsRetried_WithBackoff()
    {
        var attempts = 0;
        var log = new CollectingAgentLog();
        var value = new PolicySet();
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                throw new IOException("The process cannot access the file because it is being used by another process.");
            }

            return LoadOutcome.Success(value, "test");
        }, log, Manual);

        var outcome = watcher.ReloadNow();
        Assert.True(outcome.Succeeded);
        Assert.Equal(3, attempts);
        Assert.Same(value, watcher.Current);
        Assert.Equal(2, log.Count(EventIds.PolicyFileBusy));
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20) }, _clock.Waits);
    }

    [Fact]
    public void TransientFailure_GivesUpAfterMaxRetries_AndKeepsTheOldValue()
    {
        var attempts = 0;
        var log = new CollectingAgentLog();
        var first = new PolicySet();
        var options = Manual;
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () =>
            Interlocked.Increment(ref attempts) == 1
                ? LoadOutcome.Success(first, "first")
                : LoadOutcome.Failure<PolicySet>(new[] { "busy" }, isTransient: true), log, options);
        watcher.ReloadNow();
        var outcome = watcher.ReloadNow();
        Assert.False(outcome.Succeeded);
        Assert.Equal(1 + 1 + options.MaxRetries, attempts);
        Assert.Equal(options.MaxRetries, _clock.Waits.Count);
        Assert.Same(first, watcher.Current);
    }

    [Fact]
    public void ExceptionsFromLoaderOrSubscribers_NeverEscape()
    {
        var log = new CollectingAgentLog();
        using var watcher = new PolicyWatcher<PolicySet>(Path.GetTempPath(), () => throw new InvalidOperationException("loader bug"), log, Manual);
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
        var log = new CollectingAgentLog();
        using var watcher = new PolicyWatcher<PolicySet>(Path.Combine(Path.GetTempPath(), "eea-missing-" + Guid.NewGuid().ToString("N")),
            () => LoadOutcome.Failure<PolicySet>(new[] { "missing" }), log, new PolicyWatcherOptions { Clock = _clock });
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
        }, new CollectingAgentLog(), Manual);
        watcher.Start();
        _changes.Fire();
        watcher.Dispose();
        Assert.True(_changes.Disposed);

        File.WriteAllText(file, ValidPolicy(2));
        _changes.Fire();
        _clock.Advance(Debounce * 10);
        Assert.Equal(1, loads);
        watcher.Dispose();
    }
}
