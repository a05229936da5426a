using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

public sealed class TransformChainTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-chain-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Run_AppliesTransformsInOrder_AndLeavesNoTemporaryFiles()
    {
        var chain = new TransformChain(new TemporaryFileFactory(_directory));
        using var source = new MemoryStream(Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody"));

        using (var result = chain.Run(source, new IMessageTransform[] { new Append("1"), new Append("2") }, CancellationToken.None))
        {
            Assert.Equal("Subject: x\r\n\r\nbody12", new StreamReader(result).ReadToEnd());
            Assert.Single(Directory.GetFiles(_directory));
        }

        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Run_WithoutTransforms_ReturnsACopy()
    {
        var chain = new TransformChain(new TemporaryFileFactory(_directory));
        using var source = new MemoryStream(Encoding.ASCII.GetBytes("abc"));

        using var result = chain.Run(source, Array.Empty<IMessageTransform>(), CancellationToken.None);

        Assert.Equal("abc", new StreamReader(result).ReadToEnd());
    }

    [Fact]
    public void Run_WhenATransformFails_DeletesEverything()
    {
        var chain = new TransformChain(new TemporaryFileFactory(_directory));
        using var source = new MemoryStream(Encoding.ASCII.GetBytes("abc"));

        Assert.Throws<MessageTransformException>(() => chain.Run(source, new IMessageTransform[] { new Append("1"), new Failing() }, CancellationToken.None));

        Assert.Empty(Directory.GetFiles(_directory));
    }

    private sealed class Append(string text) : IMessageTransform
    {
        public string Name => "append";

        public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        {
            source.CopyTo(destination);
            destination.Write(Encoding.ASCII.GetBytes(text));
        }
    }

    private sealed class Failing : IMessageTransform
    {
        public string Name => "failing";

        public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        {
            destination.WriteByte(1);
            throw new MessageTransformException("broken");
        }
    }
}
