using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Keeps a loaded value (a policy, or the lead's policy-plus-certificates snapshot) in step with a folder. Changes
/// are debounced, transient failures are retried with back-off, and the new value replaces the old in one atomic
/// swap only when the load succeeds: an invalid file never replaces a valid one. Success and failure are logged with
/// event IDs. No exception ever leaves the watcher's threads. Dispose stops it.
/// </summary>
internal sealed class PolicyWatcher<T> : IDisposable
    where T : class
{
    private static readonly string[] NothingLoaded = { "the loader returned nothing" };
    private static readonly string[] Disposed = { "the watcher is disposed" };

    private readonly string _directory;
    private readonly Func<LoadOutcome<T>> _load;
    private readonly IAgentLog _log;
    private readonly PolicyWatcherOptions _options;
    private readonly object _reloadLock = new();
    private readonly ManualResetEvent _stopping = new(false);
    private readonly IWatcherTimer _debounce;
    private IFolderChangeSource? _changes;
    private T? _current;
    private int _disposed;

    /// <summary>UTC ticks of the first change not yet reloaded; 0 when none is pending.</summary>
    private long _burstStartedTicks;

    /// <summary>Creates a watcher; nothing happens until <see cref="Start"/>.</summary>
    public PolicyWatcher(string directory, Func<LoadOutcome<T>> load, IAgentLog log, PolicyWatcherOptions? options = null)
    {
        _directory = Guard.NotNull(directory);
        _load = Guard.NotNull(load);
        _log = Guard.NotNull(log);
        _options = options ?? new PolicyWatcherOptions();
        _debounce = _options.Clock.CreateTimer(OnDebounceElapsed);
    }

    /// <summary>Raised after each reload attempt (on the watcher's thread; handlers must be quick).</summary>
    public event EventHandler<PolicyReloadedEventArgs<T>>? Reloaded;

    /// <summary>The value in force; null until a load has succeeded.</summary>
    public T? Current => Volatile.Read(ref _current);

    /// <summary>Loads once now, then watches the folder. Never throws for a bad file or a missing folder.</summary>
    public LoadOutcome<T> Start()
    {
        var outcome = ReloadNow();
        var changes = _options.Changes ?? new FileSystemChangeSource(_directory, _options.Filter, _options.IncludeSubdirectories);
        try
        {
            changes.Start(ScheduleReload, lost =>
            {
                // Notices were lost, so reload to catch up.
                _log.Write(EventIds.PolicyWatcherFailed, $"Watching {_directory} lost change notifications: {lost?.Message}; reloading.");
                ScheduleReload();
            });
            _changes = changes;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            changes.Dispose();
            _log.Write(EventIds.PolicyWatcherFailed, $"Cannot watch {_directory} for policy changes: {ex.Message}. The policy will not reload until the service restarts.", ex);
        }

        return outcome;
    }

    /// <summary>
    /// Loads now (retrying transient failures) and swaps the value in on success. Serialised with the watcher's own
    /// reloads. Never throws.
    /// </summary>
    public LoadOutcome<T> ReloadNow()
    {
        lock (_reloadLock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return LoadOutcome.Failure<T>(Disposed);
            }

            var outcome = LoadWithRetry();
            if (outcome.Value is { } value)
            {
                // The replaced version's native resources (platform keys) go now, not at finalisation.
                (Interlocked.Exchange(ref _current, value) as IDisposable)?.Dispose();
                _log.Write(EventIds.PolicyLoaded, "Policy loaded: " + outcome.Description);
            }
            else
            {
                var keeping = Current is null ? "No policy is in force." : "The previous policy stays in force.";
                _log.Write(EventIds.PolicyLoadFailed, $"Policy load failed; {keeping}{Environment.NewLine}{FormatErrors(outcome.Errors)}");
            }

            RaiseReloaded(outcome);
            return outcome;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Set();
        _changes?.Dispose();

        // Waits for a running timer callback, so no reload starts after Dispose returns.
        _debounce.Dispose();

        lock (_reloadLock)
        {
            _stopping.Dispose();
        }
    }

    private void ScheduleReload()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // Quiet for Debounce, but never later than MaxDelay after the burst's first change (a folder rewritten
        // every 100 ms must still reload).
        var now = DateTime.UtcNow.Ticks;
        var started = Interlocked.CompareExchange(ref _burstStartedTicks, now, 0);
        var left = started == 0 ? _options.MaxDelay : TimeSpan.FromTicks(started + _options.MaxDelay.Ticks - now);
        var due = left < _options.Debounce ? left : _options.Debounce;
        _debounce.Schedule(due < TimeSpan.Zero ? TimeSpan.Zero : due);
    }

    private void OnDebounceElapsed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // Changes from now on start a new burst (the reload below may already miss them).
        Interlocked.Exchange(ref _burstStartedTicks, 0);
        try
        {
            ReloadNow();
        }
#pragma warning disable CA1031 // A timer-thread exception would crash the transport process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _log.Write(EventIds.PolicyWatcherFailed, "Policy reload failed unexpectedly; the current policy stays in force.", ex);
        }
    }

    private LoadOutcome<T> LoadWithRetry()
    {
        var delay = _options.InitialRetryDelay;
        for (var attempt = 0; ; attempt++)
        {
            LoadOutcome<T> outcome;
            try
            {
                outcome = _load() ?? LoadOutcome.Failure<T>(NothingLoaded);
            }
            catch (IOException ex)
            {
                outcome = LoadOutcome.Failure<T>(new[] { ex.Message }, isTransient: true);
            }
#pragma warning disable CA1031 // The loader is someone else's code; whatever it throws becomes a failed load.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return LoadOutcome.Failure<T>(new[] { $"{ex.GetType().Name}: {ex.Message}" });
            }

            if (outcome.Succeeded || !outcome.IsTransient || attempt >= _options.MaxRetries)
            {
                return outcome;
            }

            _log.Write(EventIds.PolicyFileBusy, $"Policy files busy ({(outcome.Errors.Count > 0 ? outcome.Errors[0] : "no detail")}); retry {attempt + 1} of {_options.MaxRetries} in {delay.TotalMilliseconds:0} ms.");
            if (Volatile.Read(ref _disposed) != 0 || _options.Clock.Wait(delay, _stopping))
            {
                return outcome;
            }

            delay = TimeSpan.FromTicks(delay.Ticks * 2);
        }
    }

    private void RaiseReloaded(LoadOutcome<T> outcome)
    {
        try
        {
            Reloaded?.Invoke(this, new PolicyReloadedEventArgs<T>(outcome, Current));
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the watcher.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _log.Write(EventIds.PolicyWatcherFailed, "A policy reload subscriber failed.", ex);
        }
    }

    private static string FormatErrors(IReadOnlyList<string> errors)
    {
        const int MaxListed = 50;
        var listed = string.Join(Environment.NewLine, errors.Take(MaxListed));
        return errors.Count > MaxListed ? $"{listed}{Environment.NewLine}... and {errors.Count - MaxListed} more" : listed;
    }
}
