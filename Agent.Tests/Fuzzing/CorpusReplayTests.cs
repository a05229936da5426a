using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Fuzz;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Fuzzing;

/// <summary>
/// Every committed fuzz input (fuzz/corpus/TARGET: the seeds and every crash or hang the fuzzer found) through the
/// target afl-fuzz runs, without afl: no exception the production host would not catch, no spool file left, and
/// each input finishes within a generous budget (a hang fails the test; nothing measures speed).
/// </summary>
public sealed class CorpusReplayTests : IClassFixture<CorpusReplayTests.Targets>
{
    /// <summary>Far above any input's cost even on a loaded machine; only an endless loop or a deadlock reaches it.</summary>
    private static readonly TimeSpan HangBudget = TimeSpan.FromMinutes(2);

    private readonly Targets _targets;

    public CorpusReplayTests(Targets targets) => _targets = targets;

    public static string CorpusDirectory => Path.Combine(RepoPaths.Root, "fuzz", "corpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(CorpusDirectory, target)).Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_RunsThroughItsTarget_WithoutAnEscapingExceptionOrAHang(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(CorpusDirectory, target, file));
        var fuzzTarget = _targets.Get(target);
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                fuzzTarget.Run(input);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, maxStackSize: 16 * 1024 * 1024);
        worker.IsBackground = true;
        worker.Start();

        Assert.True(worker.Join(HangBudget), $"{target}/{file} did not finish within {HangBudget.TotalMinutes} minutes: a hang");
        Assert.True(failure is null, $"{target}/{file}: {failure}");
    }

    [Fact]
    public void Corpus_HasSeedsForEveryTarget_AndStaysSmall()
    {
        var folders = Directory.GetDirectories(CorpusDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(FuzzTargets.Names.Order(StringComparer.Ordinal), folders);
        foreach (var target in FuzzTargets.Names)
        {
            Assert.True(Directory.GetFiles(Path.Combine(CorpusDirectory, target)).Length >= 5, $"fuzz/corpus/{target} has fewer than 5 seeds");
        }

        var bytes = Directory.GetFiles(CorpusDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 1024 * 1024, $"fuzz/corpus holds {bytes} bytes; seeds are meant to be small (under 1 MB in all)");
    }

    /// <summary>One fixture (the fuzz policy and test PKI) and one instance of each target, made on first use.</summary>
    public sealed class Targets : IDisposable
    {
        private readonly Dictionary<string, IFuzzTarget> _targets = new(StringComparer.Ordinal);
        private readonly Lazy<FuzzFixture> _fixture = new(() => FuzzFixture.Create(Path.Combine(RepoPaths.Root, "fuzz", "fixtures")));

        public IFuzzTarget Get(string name)
        {
            lock (_targets)
            {
                if (!_targets.TryGetValue(name, out var target))
                {
                    target = FuzzTargets.Create(name, _fixture.Value) ?? throw new ArgumentException("unknown fuzz target " + name);
                    _targets.Add(name, target);
                }

                return target;
            }
        }

        public void Dispose()
        {
            foreach (var target in _targets.Values.OfType<IDisposable>())
            {
                target.Dispose();
            }

            if (_fixture.IsValueCreated)
            {
                _fixture.Value.Dispose();
            }
        }
    }
}
