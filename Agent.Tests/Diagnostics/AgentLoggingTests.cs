using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using NLog;
using NLog.Targets;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Diagnostics;

public sealed class AgentLoggingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eea-log-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ShippedConfiguration_LoadsWithoutFallingBack()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "Installer", "NLog.config"), Path.Combine(_directory, "NLog.config"));

        using var setup = AgentLogging.Create(_directory);
        setup.Log.Write(EventIds.AgentFactoryStarted, "started");
        setup.Factory.Flush();

        var names = setup.Factory.Configuration!.AllTargets.Select(t => t.Name).ToList();
        Assert.Contains("file", names);
        Assert.Contains("eventlog", names);
        var logFile = Path.Combine(_directory, "Logs", "agent.log");
        var text = File.ReadAllText(logFile);
        Assert.Contains("|1000|AgentFactoryStarted|started", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1002", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("<nlog><targets><target")]
    [InlineData("<nlog xmlns=\"http://www.nlog-project.org/schemas/NLog.xsd\"><targets><target type=\"NoSuchTarget\" name=\"x\"/></targets></nlog>")]
    public void MissingOrBrokenConfiguration_FallsBackToBuiltIn_AndSaysSo(string? content)
    {
        if (content is not null)
        {
            File.WriteAllText(Path.Combine(_directory, "NLog.config"), content);
        }

        using var setup = AgentLogging.Create(_directory);
        setup.Factory.Flush();

        var text = File.ReadAllText(Path.Combine(_directory, "Logs", "agent.log"));
        Assert.Contains("|WARN|1002|", text, StringComparison.Ordinal);
    }

    [Fact]
    public void InMemory_RecordsEventIdAndLevel()
    {
        using var setup = AgentLogging.CreateInMemory(out MemoryTarget memory);
        setup.Log.Write(EventIds.InternalError, "boom", new InvalidOperationException("bad state"));

        var line = Assert.Single(memory.Logs);
        Assert.Equal("ERROR|9000|boom|System.InvalidOperationException bad state", line);
    }

    [Fact]
    public void InMemory_RespectsMinimumLevel()
    {
        using var setup = AgentLogging.CreateInMemory(out MemoryTarget memory, AgentEventLevel.Warning);
        setup.Log.Write(EventIds.DependencyResolved, "debug detail");

        Assert.Empty(memory.Logs);
        Assert.False(setup.Log.IsEnabled(AgentEventLevel.Information));
        Assert.True(setup.Log.IsEnabled(AgentEventLevel.Error));
    }
}
