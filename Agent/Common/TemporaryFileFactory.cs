using System;
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
    public FileStream Create()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, "eea-" + Guid.NewGuid().ToString("N") + ".tmp");
#if NET
        if (!OperatingSystem.IsWindows())
        {
            // 0600 on Unix (the SMTP gateway): message plain text is readable by the owning account only, whatever the umask.
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                BufferSize = BufferSize,
                Options = FileOptions.DeleteOnClose | FileOptions.SequentialScan,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
#endif
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize,
            FileOptions.DeleteOnClose | FileOptions.SequentialScan);
    }
}
