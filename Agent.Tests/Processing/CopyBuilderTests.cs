using System;
using System.IO;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>
/// The engine's building half: a planned copy's content as a delete-on-close spool file positioned at 0, or "unchanged";
/// nothing left in the spool folder once the host disposes the result or a step fails.
/// </summary>
public sealed class CopyBuilderTests : IDisposable
{
    private const string Message = "From: alice@contoso.example\r\nTo: dave@fabrikam.example\r\nX-EEA-Policy: forged\r\nSubject: Terms\r\n\r\nThe offer is 41 million.\r\n";

    private readonly TempDirectory _spool = new();
    private readonly CollectingAgentLog _log = new();

    public void Dispose() => _spool.Dispose();

    [Fact]
    public void UnchangedCopy_IsNotBuilt()
    {
        var builder = new CopyBuilder(new TemporaryFileFactory(_spool.Path), _log);
        var copy = PlannedCopy.Unchanged(new[] { "dave@fabrikam.example" });
        using var source = Source();

        Assert.Null(builder.Build(copy, source, CancellationToken.None));
        Assert.Empty(Directory.GetFileSystemEntries(_spool.Path));
    }

    [Fact]
    public void TransformedCopy_IsASpoolFileAtPositionZero_GoneWhenDisposed()
    {
        var builder = new CopyBuilder(new TemporaryFileFactory(_spool.Path), _log);
        var instructions = CopyInstructions.None with { StripForeignHeaders = true, Edits = new[] { HeaderEdit.Set("X-Class", "Confidential") } };
        var copy = new PlannedCopy(new[] { "dave@fabrikam.example" }, instructions, CopyProtection.None);
        using var source = Source();

        using (var built = builder.Build(copy, source, CancellationToken.None))
        {
            Assert.NotNull(built);
            Assert.Equal(0, built!.Position);
            Assert.Single(Directory.GetFiles(_spool.Path));
            var text = new StreamReader(built).ReadToEnd();
            Assert.Contains("X-Class: Confidential\r\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("X-EEA-Policy: forged", text, StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\nThe offer is 41 million.\r\n", text, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(_spool.Path));
    }

    [Fact]
    public void EncryptedCopy_IsAnEnvelopeForItsRecipients()
    {
        var builder = new CopyBuilder(new TemporaryFileFactory(_spool.Path), _log);
        var settings = new EncryptSettings(ContentEncryptionAlgorithm.Aes256Cbc, KeyTransportAlgorithm.RsaPkcs1, false, "...");
        var encrypt = new EncryptInstruction(new[] { new SmimeRecipient(TestPki.Shared.Gateway.Certificate) }, settings, null);
        var copy = new PlannedCopy(new[] { "dave@fabrikam.example" }, CopyInstructions.None with { Encrypt = encrypt }, CopyProtection.Encrypted);
        using var source = Source();

        using var built = builder.Build(copy, source, CancellationToken.None);

        var text = new StreamReader(built!).ReadToEnd();
        Assert.Contains("application/pkcs7-mime", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("41 million", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingStep_LeavesNoSpoolFile_AndTheHostSeesTheError()
    {
        // Every step after the first fails half-way through its output, as a full disk or a crypto provider would.
        var steps = 0;
        var builder = new CopyBuilder(new TemporaryFileFactory(_spool.Path), _log, t => ++steps == 1 ? t : new HalfWritten());
        var instructions = CopyInstructions.None with { StripForeignHeaders = true, Edits = new[] { HeaderEdit.Set("X-Class", "Confidential") } };
        var copy = new PlannedCopy(new[] { "dave@fabrikam.example" }, instructions, CopyProtection.None);
        using var source = Source();

        Assert.Throws<IOException>(() => builder.Build(copy, source, CancellationToken.None));

        Assert.Equal(2, steps);
        Assert.Empty(Directory.GetFiles(_spool.Path));
    }

    private static MemoryStream Source() => new(Encoding.ASCII.GetBytes(Message), writable: false);

    private sealed class HalfWritten : IMessageTransform
    {
        public string Name => "half-written";

        public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        {
            destination.Write(new byte[4096], 0, 4096);
            destination.Flush();
            throw new IOException("Injected: the disk is full.");
        }
    }
}
