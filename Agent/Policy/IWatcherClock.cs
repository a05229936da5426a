using System;
using System.Threading;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// The policy watcher's sense of time: its debounce timer and its retry back-off. The service uses
/// <see cref="SystemWatcherClock"/>; tests pass a clock they move by hand, so no test has to sleep for a debounce.
/// </summary>
internal interface IWatcherClock
{
    /// <summary>A one-shot timer that calls <paramref name="callback"/> when it falls due; idle until scheduled.</summary>
    IWatcherTimer CreateTimer(Action callback);

    /// <summary>Waits <paramref name="delay"/>; returns true, early, when <paramref name="stop"/> is set.</summary>
    bool Wait(TimeSpan delay, WaitHandle stop);
}
