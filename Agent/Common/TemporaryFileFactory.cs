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

    /// <summary>A new empty read/write file that disappears when the stream is disposed (a memory stream for <see cref="InMemory"/>).</summary>
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
