using System;
using System.IO;

namespace ExchangeEncryptionAgent;

/// <summary>
/// Files that hold plain text of messages or private keys, readable by their owner (the service account) only.
/// On Unix (the tool, tests, the gateway) files are created 0600 and folders 0700 from the start, never chmod-ed
/// afterwards, so there is no moment in which another user could open them. On Windows (the agent itself, net48)
/// the folders' ACLs decide: install.ps1 gives Logs\spool and Policies\ protected ACLs (SYSTEM, Administrators,
/// the transport account), and files inherit them.
/// </summary>
public static class OwnerOnlyFiles
{
#if !NETFRAMEWORK
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
#endif

    /// <summary>True where modes are ours to set (not Windows).</summary>
    public static bool IsUnix =>
#if NETFRAMEWORK
        false;
#else
        !OperatingSystem.IsWindows();
#endif

    /// <summary>
    /// Creates <paramref name="path"/> (0700 on Unix) when missing. With <paramref name="tightenExisting"/> an existing
    /// folder is tightened to 0700 too (a spool folder an older version created 0755), unless it is shared scratch space
    /// (sticky bit, like /tmp), which must keep its mode; the files in it are 0600 either way.
    /// </summary>
    public static void EnsureDirectory(string path, bool tightenExisting)
    {
#if NETFRAMEWORK
        Directory.CreateDirectory(path);
#else
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, FolderMode700);
            return;
        }

        if (!tightenExisting)
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.StickyBit) == 0 && (mode & ~FolderMode700) != 0)
        {
            try
            {
                File.SetUnixFileMode(path, mode & FolderMode700);
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to change (another owner); the 0600 files still keep their content private.
            }
        }
#endif
    }

    /// <summary>Opens a new file (never an existing one) readable and writable by the owner only.</summary>
    public static FileStream CreateNew(string path, int bufferSize, FileOptions options)
    {
#if NETFRAMEWORK
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize, options);
#else
        var streamOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = options,
        };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = FileMode600;
        }

        return new FileStream(path, streamOptions);
#endif
    }

    /// <summary>Writes <paramref name="text"/> (ASCII/UTF-8) to <paramref name="path"/>, replacing it, with mode 0600 on Unix.</summary>
    public static void WriteAllText(string path, string text)
    {
        // A file left by an earlier run may have a wider mode; a new file gets the right one from the start.
        File.Delete(path);
        using var stream = CreateNew(path, 4096, FileOptions.None);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
