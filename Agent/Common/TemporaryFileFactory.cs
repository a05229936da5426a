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
    /// <summary>
    /// What the runtime keeps in memory per scratch stream before it moves to a file: a small message then never
    /// touches the disk, a large one costs this much memory per stream at most.
    /// </summary>
    public const int SmallSpoolBytes = 64 * 1024;

    private const int BufferSize = 64 * 1024;

    /// <summary>Bytes a stream keeps in memory before it moves to a file; 0: a file from the first byte.</summary>
    private readonly int _memoryThreshold;

    /// <summary>Set once the folder exists with its mode checked; a benign race (two threads checking) costs nothing.</summary>
    private volatile bool _directoryReady;

    /// <summary>Null for <see cref="InMemory"/>.</summary>
    private readonly string? _directory;

    /// <summary>
    /// Test seam (the fault matrix, Agent.Tests/Reliability): a spool folder listed here gets its files from the given
    /// function (a stream that fails as a full disk does, say). Keyed by folder so that tests running in parallel never
    /// see each other's faults; always empty in production, where the check costs one read of a field.
    /// </summary>
    internal static readonly ConcurrentDictionary<string, Func<string, FileStream>> FaultInjectors = new(StringComparer.Ordinal);

    /// <summary>
    /// Files go into <paramref name="directory"/>, the agent's own spool folder (created owner-only when missing). There
    /// is no default: the runtime makes one factory from AgentSettings.TemporaryDirectory and hands it to everything
    /// that spools, so plain text never lands in a folder the administrator did not choose.
    /// </summary>
    public TemporaryFileFactory(string directory)
    {
        if (string.IsNullOrEmpty(directory))
        {
            throw new ArgumentException("A spool folder is required.", nameof(directory));
        }

        _directory = directory;
    }

    /// <summary>
    /// As above, but each stream keeps its first <paramref name="memoryThreshold"/> bytes in memory and moves to a file
    /// only when it grows past them (the runtime passes <see cref="SmallSpoolBytes"/>).
    /// </summary>
    public TemporaryFileFactory(string directory, int memoryThreshold)
        : this(directory)
    {
        if (memoryThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(memoryThreshold), memoryThreshold, "The threshold cannot be negative.");
        }

        _memoryThreshold = memoryThreshold;
    }

    private TemporaryFileFactory()
    {
    }

    /// <summary>
    /// Scratch data in memory, no folder: for code that runs without a runtime on small inputs (the demo's sample,
    /// tests, benchmarks). The engine never uses it; everything it runs gets the runtime's factory.
    /// </summary>
    public static TemporaryFileFactory InMemory { get; } = new();

    /// <summary>Where the files go; null for <see cref="InMemory"/>.</summary>
    public string? Directory => _directory;

    /// <summary>
    /// A new empty read/write file that disappears when the stream is disposed (a memory stream for
    /// <see cref="InMemory"/>; with a memory threshold, a stream that becomes such a file once it outgrows it).
    /// </summary>
    /// <remarks>
    /// The file holds message plain text: on Unix it is created 0600 in a 0700 folder (<see cref="OwnerOnlyFiles"/>);
    /// on Windows the folder's protected ACL applies.
    /// </remarks>
    public Stream Create()
    {
        if (_directory is not { } directory)
        {
            return new MemoryStream();
        }

        // An injected fault stands for the disk: it must be met from the first byte, as without the memory stage.
        return _memoryThreshold > 0 && (FaultInjectors.IsEmpty || !FaultInjectors.ContainsKey(directory)) ? new SpoolStream(_memoryThreshold, () => CreateFile(directory)) : CreateFile(directory);
    }

    private FileStream CreateFile(string directory)
    {
        if (!_directoryReady)
        {
            OwnerOnlyFiles.EnsureDirectory(directory, true);
            _directoryReady = true;
        }

        var path = Path.Combine(directory, "eea-" + Guid.NewGuid().ToString("N") + ".tmp");
        if (!FaultInjectors.IsEmpty && FaultInjectors.TryGetValue(directory, out var inject))
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
            OwnerOnlyFiles.EnsureDirectory(directory, true);
            return OwnerOnlyFiles.CreateNew(path, BufferSize, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
        }
    }
}
