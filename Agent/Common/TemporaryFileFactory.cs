using System;
using System.Collections.Concurrent;
using System.IO;

namespace ExchangeEncryptionAgent;

/// <summary>
/// Creates the scratch files messages stream through (transform chain, signing, inbound layers), so memory stays flat
/// in message size. Each file is
/// opened exclusively and deleted when its stream closes (FileOptions.DeleteOnClose), also when the process dies on
/// Windows; nothing is left behind to clean up.
/// </summary>
public sealed class TemporaryFileFactory
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Set once the folder exists with its mode checked; a benign race (two threads checking) costs nothing.</summary>
    private volatile bool _directoryReady;

    /// <summary>A configured spool folder is the agent's own; the system temporary folder is not (its mode is left alone).</summary>
    private readonly bool _ownsDirectory;

    /// <summary>
    /// Test seam (the fault matrix, Agent.Tests/Reliability): a spool folder listed here gets its files from the given
    /// function (a stream that fails as a full disk does, say). Keyed by folder so that tests running in parallel never
    /// see each other's faults; always empty in production, where the check costs one read of a field.
    /// </summary>
    internal static readonly ConcurrentDictionary<string, Func<string, FileStream>> FaultInjectors = new(StringComparer.Ordinal);

    /// <summary>Files go into <paramref name="directory"/>; null: the system temporary folder.</summary>
    public TemporaryFileFactory(string? directory = null)
    {
        Directory = string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory!;
        _ownsDirectory = !string.IsNullOrEmpty(directory);
    }

    /// <summary>The shared default (system temporary folder).</summary>
    public static TemporaryFileFactory Default { get; } = new();

    /// <summary>Where the files go.</summary>
    public string Directory { get; }

    /// <summary>A new empty read/write file that disappears when the stream is disposed.</summary>
    /// <remarks>
    /// The file holds message plain text: on Unix it is created 0600 in a 0700 folder (<see cref="OwnerOnlyFiles"/>);
    /// on Windows the folder's protected ACL applies.
    /// </remarks>
    public FileStream Create()
    {
        if (!_directoryReady)
        {
            OwnerOnlyFiles.EnsureDirectory(Directory, _ownsDirectory);
            _directoryReady = true;
        }

        var path = Path.Combine(Directory, "eea-" + Guid.NewGuid().ToString("N") + ".tmp");
        if (!FaultInjectors.IsEmpty && FaultInjectors.TryGetValue(Directory, out var inject))
        {
            return inject(path);
        }

        try
        {
            return OwnerOnlyFiles.CreateNew(path, BufferSize, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        }
        catch (DirectoryNotFoundException)
        {
            // Someone removed the folder since: create it again, once.
            OwnerOnlyFiles.EnsureDirectory(Directory, _ownsDirectory);
            return OwnerOnlyFiles.CreateNew(path, BufferSize, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        }
    }
}
