using System;
using System.IO;
using System.Linq;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeApi.Simulator.Tests;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>AgentSettings.xml: every value range-checked; a bad value gets an event and its safe default, the others hold.</summary>
public sealed class AgentSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string elements)
    {
        var path = Path.Combine(_directory, AgentSettings.FileName);
        File.WriteAllText(path, $"""<AgentSettings xmlns="{AgentSettings.Namespace}">{elements}</AgentSettings>""");
        return path;
    }

    [Theory]
    [InlineData("-PT5M")]
    [InlineData("PT0S")]
    [InlineData("PT29S")]
    [InlineData("PT12H1S")]
    [InlineData("P30D")]
    [InlineData("five minutes")]
    public void RetryIntervalOutOfRangeOrUnreadable_GetsTheDefault_AndTheOtherValuesHold(string value)
    {
        var path = Write($"<RetryInterval>{value}</RetryInterval><OnInternalError>PassThroughInsecure</OnInternalError><TemporaryDirectory>D:\\spool</TemporaryDirectory>");

        var settings = AgentSettings.Load(path, out var problem, out var badValues);

        Assert.Null(problem);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.RetryInterval);
        Assert.Contains("<RetryInterval>", Assert.Single(badValues), StringComparison.Ordinal);
        Assert.Equal(FailureOutcome.PassThroughInsecure, settings.OnInternalError);
        Assert.Equal("D:\\spool", settings.TemporaryDirectory);
    }

    [Theory]
    [InlineData("PT30S", 30)]
    [InlineData("PT1M", 60)]
    [InlineData("PT12H", 43200)]
    public void RetryIntervalInRange_IsKept(string value, int seconds)
    {
        var settings = AgentSettings.Load(Write($"<RetryInterval>{value}</RetryInterval>"), out var problem, out var badValues);

        Assert.Null(problem);
        Assert.Empty(badValues);
        Assert.Equal(TimeSpan.FromSeconds(seconds), settings.RetryInterval);
    }

    [Theory]
    [InlineData("OnNoValidPolicy", "Pass")]
    [InlineData("OnInternalError", "passthroughinsecure")]
    [InlineData("PolicyFile", "Policies\\*.xml")]
    [InlineData("TemporaryDirectory", "Logs\\spool|x")]
    public void EveryOtherValue_IsCheckedToo_AndFallsBackToItsDefault(string element, string value)
    {
        var settings = AgentSettings.Load(Write($"<{element}>{value}</{element}>"), out var problem, out var badValues);
        var defaults = new AgentSettings();

        Assert.Null(problem);
        Assert.Contains($"<{element}>", Assert.Single(badValues), StringComparison.Ordinal);
        Assert.Equal(defaults.OnNoValidPolicy, settings.OnNoValidPolicy);
        Assert.Equal(defaults.OnInternalError, settings.OnInternalError);
        Assert.Equal(defaults.PolicyFile, settings.PolicyFile);
        Assert.Equal(defaults.TemporaryDirectory, settings.TemporaryDirectory);
    }

    [Fact]
    public void ABadValueIsQuotedShortAndWithoutLineBreaks()
    {
        var settings = AgentSettings.Load(Write("<RetryInterval>P1D&#13;&#10;1006 forged" + new string('9', 500) + "</RetryInterval>"), out _, out var badValues);

        var note = Assert.Single(badValues);
        Assert.DoesNotContain('\n', note);
        Assert.DoesNotContain('\r', note);
        Assert.True(note.Length < 400, note);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.RetryInterval);
    }

    [Fact]
    public void ACodedHost_CannotSetAnOutOfRangeRetryInterval()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSettings { RetryInterval = TimeSpan.FromMinutes(-5) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSettings { RetryInterval = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentSettings { OnInternalError = (FailureOutcome)7 });
        Assert.Throws<ArgumentException>(() => new AgentSettings { TemporaryDirectory = " " });
    }

    [Fact]
    public void NegativeRetryIntervalInTheAgentFolder_IsLoggedAs1010_AndMailIsDeferredForTheDefaultInterval()
    {
        // No policy file: every message gets the no-policy deferral, which is where RetryInterval is used.
        File.WriteAllText(Path.Combine(_directory, AgentSettings.FileName),
            $"""<AgentSettings xmlns="{AgentSettings.Namespace}"><RetryInterval>-PT5M</RetryInterval><PolicyFile>missing.xml</PolicyFile></AgentSettings>""");
        var runtime = AgentRuntimeFactory.CreateForExchange(_directory);

        using (var result = new TransportSimulator(new TransportSimulatorOptions { AcceptedDomains = new[] { "contoso.com" } })
            .Run(() => new EncryptionRoutingAgentFactory(runtime), SimulatedMessage.FromText("alice@contoso.com",
                new[] { new SimulatedRecipient("bob@fabrikam.example", false) }, TestMessages.Crlf("""
                    From: alice@contoso.com
                    To: bob@fabrikam.example
                    Subject: hello

                    body
                    """))))
        {
            Assert.True(result.Healthy, result.ToString());
            Assert.Equal(TimeSpan.FromMinutes(5), Assert.Single(result.Deferrals).WaitTime);
        }

        runtime.Dispose();
        var log = File.ReadAllLines(Path.Combine(_directory, "Logs", "agent.log"));
        Assert.Contains(log, l => l.Contains($"|{EventIds.AgentSettingValueInvalid.Id}|", StringComparison.Ordinal) && l.Contains("<RetryInterval>", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains($"|{EventIds.AgentSettingsInvalid.Id}|", StringComparison.Ordinal));
    }
}
