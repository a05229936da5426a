using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Policy;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>
/// Goal: loading (parsing, schema validation, semantic checks, regex compilation) of a 1,000-rule policy in under one
/// second, and of 10,000 rules in about ten times that (linear). A billion-laughs document is refused at its DOCTYPE,
/// in the time a small document takes. The unit tests (PolicyLoaderTests) hold the results and the allocation; the
/// time is measured here.
/// </summary>
[MemoryDiagnoser]
public class PolicyLoadBenchmarks
{
    private byte[] _policy = null!;
    private byte[] _tenThousandRules = null!;
    private byte[] _billionLaughs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = Encoding.UTF8.GetBytes(PolicyBenchmarkData.HeaderAndRecipientPolicy(1000));
        var rules = string.Concat(Enumerable.Range(0, 10_000).Select(i =>
            $"<Rule Name=\"Rule {i}\" Priority=\"{i}\"><Conditions><RecipientDomainIs><Value>partner{i}.example</Value></RecipientDomainIs><SubjectContainsWords><Value>project {i}</Value></SubjectContainsWords></Conditions><Actions><EncryptSmime/></Actions></Rule>"));
        _tenThousandRules = Encoding.UTF8.GetBytes($"<Policy xmlns=\"{PolicyBenchmarkData.Ns}\"><Settings><OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains></Settings><Rules>{rules}</Rules></Policy>");
        var entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            var previous = i == 1 ? "lol" : "lol" + (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            entities.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&{previous};", 10))}\">");
        }

        _billionLaughs = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><!DOCTYPE Policy [{entities}]><Policy xmlns=\"{PolicyBenchmarkData.Ns}\"><Rules><Rule Name=\"&lol9;\" Priority=\"0\"><Actions><EncryptSmime/></Actions></Rule></Rules></Policy>");
    }

    [Benchmark]
    public PolicyLoadResult Load1000Rules() => PolicyLoader.Load(_policy, "bench.xml", "bench.xml");

    [Benchmark]
    public PolicyLoadResult Load10000Rules() => PolicyLoader.Load(_tenThousandRules, "bench.xml", "bench.xml");

    [Benchmark]
    public PolicyLoadResult RejectBillionLaughs() => PolicyLoader.Load(_billionLaughs, "bench.xml", "bench.xml");
}
