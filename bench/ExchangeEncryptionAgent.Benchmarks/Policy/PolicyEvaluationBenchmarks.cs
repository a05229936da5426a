using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>
/// Goal: at least 100,000 evaluations per second per core of a 100-rule policy of header and recipient conditions
/// on a typical 50 KB message that is already parsed (what the agent does for each message after MIME parsing).
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private PolicySet _policy = null!;
    private MessageContext _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyLoader.LoadXml(PolicyBenchmarkData.HeaderAndRecipientPolicy(100)).Policy
                  ?? throw new System.InvalidOperationException("benchmark policy does not load");
        _message = PolicyBenchmarkData.Context(PolicyBenchmarkData.TypicalMessage());

        // Parse once: the benchmark measures evaluation of an already parsed message.
        PolicyEvaluator.Evaluate(_policy, _message, PolicyBenchmarkData.Now);
    }

    [GlobalCleanup]
    public void Cleanup() => _message.Dispose();

    [Benchmark]
    public PolicyDecision Evaluate100HeaderAndRecipientRules() => PolicyEvaluator.Evaluate(_policy, _message, PolicyBenchmarkData.Now);
}
