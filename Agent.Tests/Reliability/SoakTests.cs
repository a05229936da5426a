using System;
using System.IO;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;
using Xunit.Abstractions;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>The soak samples process-wide memory and handles, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakRun : ICollectionFixture<PipelineFixture>
{
    public const string Name = "Soak";
}

/// <summary>
/// The soak (<see cref="Soak"/>). CI runs 2,000 messages; EEA_SOAK_MESSAGES sets another count (bench/soak.sh runs
/// 100,000), EEA_SOAK_MINUTES a time box that ends the run early (a loaded machine), EEA_SOAK_REPORT a file for the figures.
/// </summary>
[Collection(SoakRun.Name)]
public sealed class SoakTests
{
    private const long HeapMargin = 16L << 20;
    private const long ResidentMargin = 96L << 20;
    private const int HandleMargin = 16;

    private readonly PipelineFixture _fixture;
    private readonly ITestOutputHelper _output;

    public SoakTests(PipelineFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void MixedTrafficWhilePolicyAndCertificatesChange_EveryMessageDefined_NothingLeaks()
    {
        var messages = int.TryParse(Environment.GetEnvironmentVariable("EEA_SOAK_MESSAGES"), out var n) && n > 0 ? n : 2_000;
        var minutes = int.TryParse(Environment.GetEnvironmentVariable("EEA_SOAK_MINUTES"), out var m) && m > 0 ? TimeSpan.FromMinutes(m) : (TimeSpan?)null;
        var reportPath = Environment.GetEnvironmentVariable("EEA_SOAK_REPORT");

        var report = Soak.Run(_fixture, messages, samples: 20, minutes, reportPath is null ? null : line => File.AppendAllText(reportPath + ".progress", line + "\n"));

        var text = report.Describe();
        _output.WriteLine(text);
        if (!string.IsNullOrEmpty(reportPath))
        {
            File.WriteAllText(reportPath, text);
        }

        Assert.True(report.Problems.Count == 0, text);
        Assert.True(report.Messages == messages || minutes is not null, text);
        Assert.True(report.Reloads > 1 && report.FailedReloads > 0, "the policy must have reloaded and refused invalid versions during the soak\n" + text);
        Assert.True(report.Last.HeapBytes <= report.Baseline.HeapBytes + HeapMargin, "managed heap grew after warm-up\n" + text);
        Assert.True(report.PeakResident(3) <= report.PeakResident(1) + ResidentMargin, "process memory grew after warm-up (last quarter's peak against the second quarter's)\n" + text);
        Assert.True(report.Last.Handles <= report.Baseline.Handles + HandleMargin, "file descriptors leaked\n" + text);
    }
}
