using System;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// What tells the policy watcher that its folder changed: <see cref="FileSystemChangeSource"/> in the service, a
/// trigger the test fires by hand in tests. Disposing it stops the notices.
/// </summary>
internal interface IFolderChangeSource : IDisposable
{
    /// <summary>
    /// Starts the notices: <paramref name="changed"/> for every change, <paramref name="lost"/> when notices were lost
    /// (the watcher reloads to catch up). Throws ArgumentException, IOException, UnauthorizedAccessException or
    /// PlatformNotSupportedException when the folder cannot be watched.
    /// </summary>
    void Start(Action changed, Action<Exception?> lost);
}
