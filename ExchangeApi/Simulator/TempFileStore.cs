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

    // A file the caller owns, read in place (never written nor deleted by the run: content files are immutable).
    public ContentFile Adopt(string path)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return new ContentFile(path, this, owned: false);
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

    private bool _owned;

    public ContentFile(string path, TempFileStore store, bool owned = true)
    {
        Path = path;
        _store = store;
        _owned = owned;
        Length = new FileInfo(path).Length;
    }

    public string Path { get; private set; }

    public long Length { get; }

    public MessageFacts Facts => _facts ??= MessageFacts.Read(this);

    // Gives the content to the caller at destination: a rename when the run's store owns the file (no copy of the
    // content; later readers read it there), a copy when it is the caller's own input or was already given away.
    public void MoveTo(string destination)
    {
        ObjectDisposedException.ThrowIf(_store.IsDisposed, typeof(SimulationResult));
        if (_owned)
        {
            File.Move(Path, destination, overwrite: true);
            Path = destination;
            _owned = false;
            return;
        }

        using var source = OpenRead();
        using var target = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None);
        source.CopyTo(target, 81920);
    }

    public FileStream OpenRead()
    {
        ObjectDisposedException.ThrowIf(_store.IsDisposed, typeof(SimulationResult));
        return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920);
    }
}
