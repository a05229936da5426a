using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>
/// A policy-watcher clock the test moves by hand: <see cref="Advance"/> fires, on the test's thread, every timer that
/// falls due, and a retry wait returns at once after recording its delay. Nothing sleeps.
/// </summary>
internal sealed class ManualWatcherClock : IWatcherClock
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = new();
    private readonly List<TimeSpan> _waits = new();

    /// <summary>Time since the clock was made.</summary>
    public TimeSpan Now { get; private set; }

    /// <summary>Every retry delay the watcher waited, in order.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_lock)
            {
                return _waits.ToArray();
            }
        }
    }

    public IWatcherTimer CreateTimer(Action callback)
    {
        var timer = new ManualTimer(this, callback);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    public bool Wait(TimeSpan delay, WaitHandle stop)
    {
        lock (_lock)
        {
            _waits.Add(delay);
            Now += delay;
        }

        return stop.WaitOne(0);
    }

    /// <summary>Moves time on by <paramref name="by"/>, firing each timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        var until = Now + by;
        while (NextDue(until) is { } timer)
        {
            timer.Fire();
        }

        lock (_lock)
        {
            Now = until > Now ? until : Now;
        }
    }

    private ManualTimer? NextDue(TimeSpan until)
    {
        lock (_lock)
        {
            var next = _timers.Where(t => t.Due is { } due && due <= until).OrderBy(t => t.Due).FirstOrDefault();
            if (next is not null)
            {
                Now = next.Due!.Value > Now ? next.Due.Value : Now;
                next.Due = null;
            }

            return next;
        }
    }

    private sealed class ManualTimer(ManualWatcherClock clock, Action callback) : IWatcherTimer
    {
        private bool _disposed;

        public TimeSpan? Due { get; set; }

        public void Schedule(TimeSpan dueTime)
        {
            lock (clock._lock)
            {
                Due = _disposed ? null : clock.Now + dueTime;
            }
        }

        public void Fire() => callback();

        public void Dispose()
        {
            lock (clock._lock)
            {
                _disposed = true;
                Due = null;
            }
        }
    }
}
