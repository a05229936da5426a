using System;
using System.IO;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>Change notices from a <see cref="FileSystemWatcher"/> on the policy's folder.</summary>
internal sealed class FileSystemChangeSource : IFolderChangeSource
{
    private readonly string _directory;
    private readonly string _filter;
    private readonly bool _includeSubdirectories;
    private FileSystemWatcher? _watcher;

    public FileSystemChangeSource(string directory, string filter, bool includeSubdirectories)
    {
        _directory = Guard.NotNull(directory);
        _filter = Guard.NotNull(filter);
        _includeSubdirectories = includeSubdirectories;
    }

    public void Start(Action changed, Action<Exception?> lost)
    {
        Guard.NotNull(changed);
        Guard.NotNull(lost);
        var watcher = new FileSystemWatcher(_directory, _filter)
        {
            IncludeSubdirectories = _includeSubdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => changed();
        watcher.Created += (_, _) => changed();
        watcher.Deleted += (_, _) => changed();
        watcher.Renamed += (_, _) => changed();

        // Usually a buffer overflow: notifications were lost.
        watcher.Error += (_, e) => lost(e.GetException());
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch
        {
            watcher.Dispose();
            throw;
        }

        _watcher = watcher;
    }

    public void Dispose() => _watcher?.Dispose();
}
