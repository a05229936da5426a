using System;
using System.Threading;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// Who may touch the mail item at the end of one event: the worker (to apply its result or its internal-error outcome)
/// or the watchdog (to defer when the time limit passes). Exactly one wins, so a deferral never meets an open MIME write
/// stream (Exchange would then drop every recipient) and a hung worker never holds the message for ever: Exchange
/// itself does not abandon slow agents.
/// </summary>
internal sealed class EventGuard : IDisposable
{
    private const int Open = 0;
    private const int Worker = 1;
    private const int Watchdog = 2;

    private readonly CancellationTokenSource _cancellation = new();
    private int _owner;

    public EventGuard(TimeSpan limit)
    {
        _cancellation.CancelAfter(limit);
    }

    /// <summary>Cancelled at the time limit: cooperative work stops early.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The worker claims the mail item; false when the watchdog already deferred it.</summary>
    public bool TryClaimForWorker() => Interlocked.CompareExchange(ref _owner, Worker, Open) is Open or Worker;

    /// <summary>The watchdog claims the mail item; false when the worker is already applying its result.</summary>
    public bool TryClaimForWatchdog() => Interlocked.CompareExchange(ref _owner, Watchdog, Open) == Open;

    /// <summary>True once the watchdog has claimed the item.</summary>
    public bool TimedOut => Volatile.Read(ref _owner) == Watchdog;

    /// <inheritdoc />
    public void Dispose() => _cancellation.Dispose();
}
