using System;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Creates the scratch files S/MIME processing streams through, so memory stays flat in message size. Each file is
/// opened exclusively and deleted when its stream closes (FileOptions.DeleteOnClose), also when the process dies on
/// Windows; nothing is left behind to clean up.
/// </summary>
internal sealed class TemporaryFileFactory
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Files go into <paramref name="directory"/>; null: the system temporary folder.</summary>
    public TemporaryFileFactory(string? directory = null)
    {
        Directory = string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory!;
    }

    /// <summary>The shared default (system temporary folder).</summary>
    public static TemporaryFileFactory Default { get; } = new();

    /// <summary>Where the files go.</summary>
    public string Directory { get; }

    /// <summary>A new empty read/write file that disappears when the stream is disposed.</summary>
    public Stream Create()
    {
        var path = Path.Combine(Directory, "eea-" + Guid.NewGuid().ToString("N") + ".tmp");
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.DeleteOnClose);
    }
}
