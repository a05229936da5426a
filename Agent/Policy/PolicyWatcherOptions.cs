using System;
using System.IO;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Timing of a <see cref="PolicyWatcher{T}"/>.</summary>
internal sealed class PolicyWatcherOptions
{
    /// <summary>How long the folder must be quiet before a reload (editors write a file in several steps).</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest a burst of changes may put the reload off: without it, a folder written more often than
    /// <see cref="Debounce"/> (a tool rewriting a file every 100 ms) would never reload at all.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a transient failure (a sharing violation); the delay doubles each time.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first retry delay.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>File name filter of the watched folder ("*" for everything, for example the policy and its pki/ files).</summary>
    public string Filter { get; init; } = "*";

    /// <summary>Watch subfolders too.</summary>
    public bool IncludeSubdirectories { get; init; } = true;

    /// <summary>The debounce timer and retry back-off; tests pass a clock they move by hand.</summary>
    internal IWatcherClock Clock { get; init; } = SystemWatcherClock.Instance;

    /// <summary>
    /// Where change notices come from; null for a <see cref="FileSystemWatcher"/> on the folder. Tests pass a trigger
    /// they fire by hand. The watcher owns it and disposes it.
    /// </summary>
    internal IFolderChangeSource? Changes { get; init; }
}
