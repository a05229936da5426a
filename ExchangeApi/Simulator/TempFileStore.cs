using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace ExchangeApi.Simulator;

// Every piece of content in a run (the spooled input, each committed write stream) lives in a file of one per-run
// directory, never in a byte array; disposing the store deletes the directory.
internal sealed class TempFileStore : IDisposable
{
    private int _counter;
    private int _disposed;

    public TempFileStore(string? parentDirectory)
    {
        var parent = string.IsNullOrEmpty(parentDirectory) ? Path.GetTempPath() : parentDirectory;
        DirectoryPath = Path.Combine(parent, "exchange-simulator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DirectoryPath);
    }

    public string DirectoryPath { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public string NewFilePath()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var n = Interlocked.Increment(ref _counter);
        return Path.Combine(DirectoryPath, n.ToString("D4", CultureInfo.InvariantCulture) + ".eml");
    }

    public ContentFile Spool(Func<Stream> open)
    {
        var path = NewFilePath();
        using (var source = open())
        using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            source.CopyTo(target);
        }

        return new ContentFile(path, this);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
            // A stream the caller still holds open (Windows) keeps a file; the OS temp cleanup gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

// One immutable piece of content: written once, then only read. Read streams opened earlier keep reading the content
// they opened, which is the snapshot behaviour GetMimeReadStream needs, without copying.
internal sealed class ContentFile
{
    private readonly TempFileStore _store;
    private MessageFacts? _facts;

    public ContentFile(string path, TempFileStore store)
    {
        Path = path;
        _store = store;
        Length = new FileInfo(path).Length;
    }

    public string Path { get; }

    public long Length { get; }

    public MessageFacts Facts => _facts ??= MessageFacts.Read(this);

    public FileStream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_store.IsDisposed, typeof(SimulationResult));
        return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920);
    }
}
