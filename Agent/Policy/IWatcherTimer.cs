using System;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>A restartable one-shot timer of an <see cref="IWatcherClock"/>.</summary>
internal interface IWatcherTimer : IDisposable
{
    /// <summary>(Re)arms the timer: it falls due <paramref name="dueTime"/> from now, replacing an earlier schedule.</summary>
    /// <remarks>Dispose waits for a callback that is running, so nothing fires after it returns.</remarks>
    void Schedule(TimeSpan dueTime);
}
