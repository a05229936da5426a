using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>Goal: loading (parsing, schema validation, semantic checks, regex compilation) of a 1,000-rule policy in under one second.</summary>
[MemoryDiagnoser]
public class PolicyLoadBenchmarks
{
    private byte[] _policy = null!;

    [GlobalSetup]
    public void Setup() => _policy = Encoding.UTF8.GetBytes(PolicyBenchmarkData.HeaderAndRecipientPolicy(1000));

    [Benchmark]
    public PolicyLoadResult Load1000Rules() => PolicyLoader.Load(_policy, "bench.xml", "bench.xml");
}
