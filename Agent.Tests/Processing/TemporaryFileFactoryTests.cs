using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Tests.Reliability;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>
/// The runtime's spool with a memory stage: a small message never touches the disk, a large one moves to an owner-only
/// delete-on-close file once it outgrows the threshold (memory bounded per stream), and an injected disk fault is still
/// met from the first byte.
/// </summary>
public sealed class TemporaryFileFactoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("eea-spool-").FullName, "spool");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [Fact]
    public void BelowTheThreshold_NothingIsWrittenToTheFolder()
    {
        var factory = new TemporaryFileFactory(_directory, TemporaryFileFactory.SmallSpoolBytes);
        var data = Bytes(10 * 1024);

        using (var spool = factory.Create())
        {
            spool.Write(data, 0, data.Length);
            spool.Position = 0;

            Assert.Equal(data, ReadAll(spool));
            Assert.False(Directory.Exists(_directory) && Directory.GetFiles(_directory).Length > 0);
        }
    }

    [Fact]
    public void PastTheThreshold_TheContentMovesToAFile_ThatIsGoneOnDispose()
    {
        var factory = new TemporaryFileFactory(_directory, TemporaryFileFactory.SmallSpoolBytes);
        var data = Bytes(TemporaryFileFactory.SmallSpoolBytes * 3 + 17);

        using (var spool = factory.Create())
        {
            for (var offset = 0; offset < data.Length; offset += 5000)
            {
                spool.Write(data, offset, Math.Min(5000, data.Length - offset));
            }

            Assert.Single(Directory.GetFiles(_directory));
            Assert.Equal(data.Length, spool.Length);
            spool.Position = 0;
            Assert.Equal(data, ReadAll(spool));
        }

        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void AnInjectedDiskFault_IsMetFromTheFirstByte()
    {
        var factory = new TemporaryFileFactory(_directory, TemporaryFileFactory.SmallSpoolBytes);
        TemporaryFileFactory.FaultInjectors[_directory] = path => new DiskFullFileStream(path, 256);
        try
        {
            using var spool = factory.Create();

            Assert.ThrowsAny<IOException>(() => spool.Write(Bytes(1024), 0, 1024));
        }
        finally
        {
            TemporaryFileFactory.FaultInjectors.TryRemove(_directory, out _);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MemoryStage_BehavesAsAFile_UnderWritesReadsSeeksAndLengthChanges(int seed)
    {
        // The memory stage is a pooled buffer, not a MemoryStream: the same operations on both must give the same
        // bytes, lengths and positions, before and after the move to the file (gaps read as zeros).
        var random = new Random(seed);
        var factory = new TemporaryFileFactory(_directory, 12_000);
        using var spool = factory.Create();
        using var model = new MemoryStream();
        for (var step = 0; step < 400; step++)
        {
            switch (random.Next(6))
            {
                case 0:
                case 1:
                case 5:
                    var data = Bytes(random.Next(0, 3000)).Select(b => (byte)(b ^ step)).ToArray();
                    spool.Write(data, 0, data.Length);
                    model.Write(data, 0, data.Length);
                    break;
                case 2:
                    var wanted = random.Next(0, 4000);
                    var fromSpool = new byte[wanted];
                    var fromModel = new byte[wanted];
                    Assert.Equal(model.Read(fromModel, 0, wanted), spool.Read(fromSpool, 0, wanted));
                    Assert.Equal(fromModel, fromSpool);
                    break;
                case 3:
                    var position = random.Next(0, (int)model.Length + 500);
                    spool.Position = position;
                    model.Position = position;
                    break;
                case 4:
                    var length = random.Next(0, (int)model.Length + 500);
                    spool.SetLength(length);
                    model.SetLength(length);
                    break;
            }

            Assert.Equal(model.Length, spool.Length);
            Assert.Equal(model.Position, spool.Position);
        }

        Assert.True(((SpoolStream)spool).IsFile, "the run never left the memory stage");
        spool.Position = 0;
        Assert.Equal(model.ToArray(), ReadAll(spool));
    }

    [Fact]
    public void MemoryStage_IsGone_AfterDispose()
    {
        var factory = new TemporaryFileFactory(_directory, TemporaryFileFactory.SmallSpoolBytes);
        var spool = factory.Create();
        spool.Write(Bytes(100), 0, 100);
        spool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => spool.Length);
        Assert.Throws<ObjectDisposedException>(() => spool.Write(Bytes(1), 0, 1));
    }

    private static byte[] Bytes(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 31 + 7)).ToArray();

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
