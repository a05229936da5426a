using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>
/// A catastrophic pattern ((a+)+$ on 5,000 a's and a b) under a RegexTimeout of 50 ms: the evaluation must end soon
/// after that bound (budget: under 250 ms), the rule becoming a rule error. PolicyEvaluatorTests holds the outcome and
/// the bound; the time is measured here.
/// </summary>
[MemoryDiagnoser]
public class CatastrophicRegexBenchmarks
{
    private PolicySet _policy = null!;
    private byte[] _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyLoader.LoadXml(
            $"<Policy xmlns=\"{PolicyBenchmarkData.Ns}\"><Settings><OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains><RegexTimeout>PT0.05S</RegexTimeout></Settings><Rules>" +
            "<Rule Name=\"Slow\" Priority=\"0\" RuleErrorAction=\"Ignore\"><Conditions><SubjectMatchesPatterns><Value>(a+)+$</Value></SubjectMatchesPatterns></Conditions><Actions><SetHeader Name=\"X-Slow\" Value=\"1\"/></Actions></Rule>" +
            "<Rule Name=\"After\" Priority=\"1\"><Actions><SetHeader Name=\"X-After\" Value=\"1\"/></Actions></Rule></Rules></Policy>").Policy
            ?? throw new System.InvalidOperationException("benchmark policy does not load");
        _message = Encoding.ASCII.GetBytes("From: alice@contoso.com\r\nTo: bob@fabrikam.com\r\nSubject: " + new string('a', 5000) + "b\r\n\r\nbody\r\n");
    }

    [Benchmark]
    public PolicyDecision EvaluateCatastrophicPattern()
    {
        using var context = PolicyBenchmarkData.Context(_message);
        return PolicyEvaluator.Evaluate(_policy, context, PolicyBenchmarkData.Now);
    }
}
