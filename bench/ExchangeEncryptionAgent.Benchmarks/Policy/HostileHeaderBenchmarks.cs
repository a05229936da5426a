using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>
/// Hostile header blocks must cost time linear in their size (issue: an 8 MB header line took 15 s, quadratic in
/// MimeKit's header buffer growth). Budget: 8 MB well under a second, and 8 MB within about 10x of 1 MB. Each case
/// parses the message and evaluates a header condition that reads the long field. Unit tests assert the results;
/// this benchmark holds the time budget.
/// </summary>
[MemoryDiagnoser]
public class HostileHeaderBenchmarks
{
    private PolicySet _policy = null!;
    private byte[] _oneLine = null!;
    private byte[] _folded = null!;

    [Params(1, 8)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _policy = PolicyLoader.LoadXml($"<Policy xmlns=\"{PolicyBenchmarkData.Ns}\"><Rules><Rule Name=\"R\" Priority=\"0\"><Conditions><HeaderContainsWords Header=\"X-Long\"><Value>needle</Value></HeaderContainsWords></Conditions><Actions><EncryptSmime/></Actions></Rule></Rules></Policy>").Policy
            ?? throw new System.InvalidOperationException("benchmark policy does not load");
        var size = Megabytes * 1024 * 1024;
        _oneLine = Encoding.ASCII.GetBytes("From: a@contoso.com\r\nSubject: x\r\nX-Long: " + new string('a', size) + " needle\r\n\r\nbody\r\n");
        var folded = new StringBuilder("From: a@contoso.com\r\nX-Long: start");
        for (var written = 0; written < size; written += 82)
        {
            folded.Append("\r\n ").Append('a', 80);
        }

        _folded = Encoding.ASCII.GetBytes(folded.Append("\r\n\r\nbody\r\n").ToString());
    }

    /// <summary>One header field on one physical line.</summary>
    [Benchmark]
    public PolicyDecision OneLongHeaderLine() => Evaluate(_oneLine);

    /// <summary>One header field folded over many continuation lines.</summary>
    [Benchmark]
    public PolicyDecision OneLongFoldedHeader() => Evaluate(_folded);

    private PolicyDecision Evaluate(byte[] eml)
    {
        using var context = PolicyBenchmarkData.Context(eml);
        return PolicyEvaluator.Evaluate(_policy, context, PolicyBenchmarkData.Now);
    }
}
