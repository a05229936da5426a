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

    private static byte[] Bytes(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 31 + 7)).ToArray();

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
