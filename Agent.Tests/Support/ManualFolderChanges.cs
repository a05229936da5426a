using System;
using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>The policy watcher's change trigger, fired by the test instead of the file system.</summary>
internal sealed class ManualFolderChanges : IFolderChangeSource
{
    private Action? _changed;
    private Action<Exception?>? _lost;

    public bool Disposed { get; private set; }

    public void Start(Action changed, Action<Exception?> lost)
    {
        _changed = changed;
        _lost = lost;
    }

    /// <summary>What the file system reports for a file written, created, renamed or deleted in the folder.</summary>
    public void Fire() => _changed?.Invoke();

    /// <summary>What the file system reports when its notice buffer overflowed.</summary>
    public void Lose(Exception? error) => _lost?.Invoke(error);

    public void Dispose()
    {
        Disposed = true;
        _changed = null;
        _lost = null;
    }
}
