using System;
using System.IO;
using BenchmarkDotNet.Attributes;

namespace ExchangeEncryptionAgent.Benchmarks.Inbound;

/// <summary>
/// BenchmarkDotNet view of the inbound transform: time and allocated bytes per message for decrypt (CBC, GCM) and
/// verify at 1 MB and 25 MB. Allocations that stay flat from 1 to 25 MB show the streaming design.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class InboundSmimeBenchmarks
{
    private InboundBenchmarkInputs _inputs = null!;
    private Action<string> _decrypt = null!;
    private Action<string> _verify = null!;

    [Params(1, 25)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inputs = new InboundBenchmarkInputs(Path.Combine(Path.GetTempPath(), "eea-inbound-bench"));
        _inputs.EnsurePki();
        _inputs.EnsureMessages(Megabytes);
        _decrypt = InboundVersusOpenSsl.Prepare(_inputs, "decrypt-cbc");
        _verify = InboundVersusOpenSsl.Prepare(_inputs, "verify");
    }

    [Benchmark]
    public void DecryptAes256Cbc() => _decrypt(_inputs.Path(InboundVersusOpenSsl.MessageFor("decrypt-cbc", Megabytes)));

    [Benchmark]
    public void DecryptAes256Gcm() => _decrypt(_inputs.Path(InboundVersusOpenSsl.MessageFor("decrypt-gcm", Megabytes)));

    [Benchmark]
    public void VerifyDetached() => _verify(_inputs.Path(InboundVersusOpenSsl.MessageFor("verify", Megabytes)));
}
