using System;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Temporary files for content that must be buffered (never RAM: memory must not grow with message size). The file
/// is deleted by the operating system when the stream closes (FileOptions.DeleteOnClose), even if the process dies
/// on Windows, so plain text never outlives the processing of the message.
/// </summary>
internal static class TemporarySpool
{
    private const int BufferSize = 64 * 1024;

    /// <summary>A new, empty, exclusive, read-write temporary file that disappears when disposed.</summary>
    public static FileStream Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "eea-" + Guid.NewGuid().ToString("N") + ".tmp");
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize,
            FileOptions.DeleteOnClose | FileOptions.SequentialScan);
    }
}
