using System;
using System.Threading;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>The real clock: a thread-pool timer and a wait on the stop handle.</summary>
internal sealed class SystemWatcherClock : IWatcherClock
{
    private SystemWatcherClock()
    {
    }

    public static SystemWatcherClock Instance { get; } = new();

    public IWatcherTimer CreateTimer(Action callback) => new PoolTimer(Guard.NotNull(callback));

    public bool Wait(TimeSpan delay, WaitHandle stop) => Guard.NotNull(stop).WaitOne(delay);

    private sealed class PoolTimer : IWatcherTimer
    {
        private readonly Timer _timer;

        public PoolTimer(Action callback) => _timer = new Timer(_ => callback(), null, Timeout.Infinite, Timeout.Infinite);

        public void Schedule(TimeSpan dueTime)
        {
            try
            {
                _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the watcher's check and the call.
            }
        }

        public void Dispose()
        {
            using var done = new ManualResetEvent(false);

            // Wait for a running callback so no reload starts after the watcher's Dispose returns.
            if (_timer.Dispose(done))
            {
                done.WaitOne(TimeSpan.FromSeconds(30));
            }
        }
    }
}
