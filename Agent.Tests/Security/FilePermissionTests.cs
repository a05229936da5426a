using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9, item 14 (Unix side; the Windows ACLs are the installer's, checked by the Pester tests): plain text in the
/// spool folder and the demo's private keys are readable by their owner only. Another local user must not be able to
/// read a message while it is being encrypted, nor a private key the demo wrote.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FilePermissionTests : IClassFixture<PipelineFixture>
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly PipelineFixture _fixture;

    public FilePermissionTests(PipelineFixture fixture) => _fixture = fixture;

    [Fact]
    public void SpoolFiles_HoldingPlainText_Are0600_InA0700Folder()
    {
        var spool = Path.Combine(_fixture.Directory, "spool-" + Guid.NewGuid().ToString("N"));
        var probe = new SpoolProbe(spool);
        var encrypt = new SmimeEncryptTransform(new[] { _fixture.Pki["fabrikam-gateway"].Certificate });
        var message = Encoding.ASCII.GetBytes(TestMessages.Crlf("""
            From: alice@contoso.example
            To: dave@fabrikam.example
            Subject: Merger terms

            The offer is 41 million.
            """));

        // The chain the agent runs: the plain copy is spooled, then each step writes the next spool file.
        using (var result = new TransformChain(new TemporaryFileFactory(spool)).Run(new MemoryStream(message), new IMessageTransform[] { probe, encrypt, probe }, CancellationToken.None))
        {
            Assert.Equal(OwnerAll, File.GetUnixFileMode(spool));
        }

        Assert.Equal(2, probe.Seen.Count);
        Assert.All(probe.Seen, modes =>
        {
            Assert.NotEmpty(modes);
            Assert.All(modes, m => Assert.True(m.Mode == OwnerReadWrite, $"{m.File} is {m.Mode}"));
        });
        Assert.Empty(Directory.GetFiles(spool));
    }

    [Fact]
    public void ASpoolFolderAnOlderVersionLeftOpen_IsClosedTo0700()
    {
        var spool = Path.Combine(_fixture.Directory, "spool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(spool);
        File.SetUnixFileMode(spool, OwnerAll | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        using (var file = (FileStream)new TemporaryFileFactory(spool).Create())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file.Name));
        }

        Assert.Equal(OwnerAll, File.GetUnixFileMode(spool));
    }

    [Fact]
    public void SharedScratchSpace_KeepsItsMode_ButTheFilesInItAreStill0600()
    {
        // A sticky, world-writable folder like /tmp belongs to everyone: the agent must not take it over.
        var shared = Path.Combine(_fixture.Directory, "shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(shared);
        var sharedMode = (UnixFileMode)Convert.ToInt32("1777", 8);
        File.SetUnixFileMode(shared, sharedMode);

        using (var file = (FileStream)new TemporaryFileFactory(shared).Create())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file.Name));
        }

        Assert.Equal(sharedMode, File.GetUnixFileMode(shared));
    }

    [Fact]
    public void Demo_WritesPrivateKeys0600_InA0700Folder_EvenOverAnOlderRunsFiles()
    {
        var output = Path.Combine(_fixture.Directory, "demo-" + Guid.NewGuid().ToString("N"));
        var pki = Path.Combine(output, "pki");
        Directory.CreateDirectory(pki);
        File.SetUnixFileMode(pki, OwnerAll | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.WriteAllText(Path.Combine(pki, "bob.key"), "an older run's key");
        File.SetUnixFileMode(Path.Combine(pki, "bob.key"), OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var exit = ExchangeEncryptionAgent.Tool.Program.Run(new[] { "demo", "--out", output }, TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Equal(OwnerAll, File.GetUnixFileMode(pki));
        var keys = Directory.GetFiles(pki, "*.key");
        Assert.True(keys.Length >= 7, string.Join(", ", keys));
        Assert.All(keys, k => Assert.True(File.GetUnixFileMode(k) == OwnerReadWrite, $"{k} is {File.GetUnixFileMode(k)}"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(pki, "bob.key")), StringComparison.Ordinal);
    }

    /// <summary>A pass-through step that records the mode of every file in the spool folder while the chain runs.</summary>
    private sealed class SpoolProbe(string spool) : IMessageTransform
    {
        public List<List<(string File, UnixFileMode Mode)>> Seen { get; } = new();

        public string Name => "probe";

        public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
        {
            Seen.Add(Directory.GetFiles(spool).Select(f => (f, File.GetUnixFileMode(f))).ToList());
            source.CopyTo(destination);
        }
    }
}
