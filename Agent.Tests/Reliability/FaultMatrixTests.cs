using System;
using System.Linq;
using System.Text;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Tests.Gateway;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>
/// Every cell of <see cref="FaultMatrix"/>: the fault injected at its seam, one message of its class through the
/// simulated transport and the real agent (policy watcher, certificates, spool), then the four promises: no exception
/// reaches the host, the protected recipient gets no plain text (the cell's defined outcome, nothing else), the cell's
/// documented event is logged, and the spool folder is empty.
/// </summary>
public sealed class FaultMatrixTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public FaultMatrixTests(PipelineFixture fixture) => _fixture = fixture;

    public static TheoryData<FaultSeam, MessageClass> Cells()
    {
        var data = new TheoryData<FaultSeam, MessageClass>();
        foreach (var cell in FaultMatrix.Cells)
        {
            data.Add(cell.Seam, cell.Class);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void FaultEndsInItsDefinedOutcome(FaultSeam seam, MessageClass messageClass)
    {
        var cell = FaultMatrix.Cells.Single(c => c.Seam == seam && c.Class == messageClass);
        // The runtime's spool keeps a small message in memory: the spool-folder faults need one that reaches the disk.
        var size = seam is FaultSeam.SpoolFolderDeleted or FaultSeam.SpoolFolderBlocked ? 2 * TemporaryFileFactory.SmallSpoolBytes : 600;
        var message = messageClass == MessageClass.InboundDecrypt ? Traffic.Inbound(_fixture, size) : Traffic.Outbound(messageClass, size);

        using var rig = FaultInjector.Prepare(_fixture, seam, message, out var host);
        using var result = rig.Run(message, host);

        Assert.True(result.Healthy, "Exchange saw a crash or a broken rule:\n" + result);
        AssertNoPlainText(message, result);
        Assert.Equal(cell.Outcome, Traffic.Judge(message, result));
        Assert.True(rig.Log.Logged(cell.Event), $"event {cell.Event} not logged:\n{rig.Log}\n{result}");

        // A worker the time limit abandoned lets go of its spool file once its cancelled work unwinds.
        Poll.Until(() => rig.SpoolFilesLeft == 0, TimeSpan.FromSeconds(10), () => rig.SpoolFilesLeft + " file(s) left in the spool folder");
    }

    [Fact]
    public void Matrix_HasOneCellForEverySeamAndClass()
    {
        var expected = Enum.GetValues<FaultSeam>().SelectMany(s => FaultMatrix.Classes.Select(c => (s, c))).ToHashSet();

        var cells = FaultMatrix.Cells.Select(c => (c.Seam, c.Class)).ToList();

        Assert.Equal(expected.Count, cells.Count);
        Assert.True(expected.SetEquals(cells));
        Assert.DoesNotContain(FaultMatrix.Cells, c => c.Outcome is FaultOutcome.Undefined or FaultOutcome.Unchanged);
    }

    /// <summary>The protected recipient of an encrypt or reject rule never gets the body in clear, whatever else happened.</summary>
    private static void AssertNoPlainText(TrafficMessage message, SimulationResult result)
    {
        if (message.Class is not (MessageClass.Encrypt or MessageClass.SignAndEncrypt or MessageClass.Reject))
        {
            return;
        }

        foreach (var copy in result.Delivered.Where(c => c.RecipientAddresses.Contains(message.Judged, StringComparer.OrdinalIgnoreCase)))
        {
            Assert.DoesNotContain(message.Marker, Encoding.Latin1.GetString(copy.ReadAllBytes()), StringComparison.Ordinal);
        }
    }
}
