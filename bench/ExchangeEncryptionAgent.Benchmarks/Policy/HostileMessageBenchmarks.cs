using System;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Benchmarks.Policy;

/// <summary>
/// Every class of hostile message (issue 12) through what the agent does with a message: MessageContext over the
/// bytes and one policy evaluation with header, structure and content conditions, each in its own rule so that all
/// of them run. Budget per class: 8 MB well under a second, and 8 MB within about 10x of 1 MB (linear, not
/// quadratic). The huge header line is HostileHeaderBenchmarks; the MIME structure classes through the inbound S/MIME
/// walker are HostileStructureInboundBenchmarks. Unit tests assert outcomes; the time budget is held here.
/// </summary>
[MemoryDiagnoser]
public class HostileMessageBenchmarks
{
    private PolicySet _policy = null!;
    private byte[] _manyHeaderFields = null!;
    private byte[] _deepNesting = null!;
    private byte[] _brokenBase64 = null!;
    private byte[] _unterminatedMultipart = null!;
    private byte[] _binaryGarbage = null!;
    private byte[] _manyTinyParts = null!;

    [Params(1, 8)]
    public int Megabytes { get; set; }

    /// <summary>Rules that read a header field, the structure (types, attachments) and the content (body, attachments).</summary>
    public static PolicySet Policy()
    {
        static string Rule(int priority, string condition)
            => $"<Rule Name=\"R{priority}\" Priority=\"{priority}\"><Conditions>{condition}</Conditions><Actions><EncryptSmime/></Actions></Rule>";
        var rules = Rule(0, "<HeaderContainsWords Header=\"X-F\"><Value>needle</Value></HeaderContainsWords>")
            + Rule(1, "<SubjectContainsWords><Value>needle</Value></SubjectContainsWords>")
            + Rule(2, "<MessageTypeMatches><Value>Encrypted</Value></MessageTypeMatches>")
            + Rule(3, "<AttachmentExtensionMatchesWords><Value>exe</Value></AttachmentExtensionMatchesWords>")
            + Rule(4, "<AttachmentIsUnsupported/>")
            + Rule(5, "<SubjectOrBodyContainsWords><Value>needle</Value></SubjectOrBodyContainsWords>")
            + Rule(6, "<AttachmentContainsWords><Value>needle</Value></AttachmentContainsWords>");
        return PolicyLoader.LoadXml($"<Policy xmlns=\"{PolicyBenchmarkData.Ns}\"><Rules>{rules}</Rules></Policy>").Policy
            ?? throw new InvalidOperationException("benchmark policy does not load");
    }

    [GlobalSetup]
    public void Setup()
    {
        _policy = Policy();
        var size = Megabytes * 1024 * 1024;
        _manyHeaderFields = HostileMessages.ManyHeaderFields(size);
        _deepNesting = HostileMessages.DeepNesting(size);
        _brokenBase64 = HostileMessages.BrokenBase64(size);
        _unterminatedMultipart = HostileMessages.UnterminatedMultipart(size);
        _binaryGarbage = HostileMessages.BinaryGarbage(size);
        _manyTinyParts = HostileMessages.ManyTinyParts(size);
    }

    [Benchmark]
    public PolicyDecision ManyHeaderFields() => Evaluate(_manyHeaderFields);

    [Benchmark]
    public PolicyDecision DeepNesting() => Evaluate(_deepNesting);

    [Benchmark]
    public PolicyDecision BrokenBase64() => Evaluate(_brokenBase64);

    [Benchmark]
    public PolicyDecision UnterminatedMultipart() => Evaluate(_unterminatedMultipart);

    [Benchmark]
    public PolicyDecision BinaryGarbage() => Evaluate(_binaryGarbage);

    [Benchmark]
    public PolicyDecision ManyTinyParts() => Evaluate(_manyTinyParts);

    private PolicyDecision Evaluate(byte[] eml)
    {
        using var context = PolicyBenchmarkData.Context(eml);
        return PolicyEvaluator.Evaluate(_policy, context, PolicyBenchmarkData.Now);
    }
}
