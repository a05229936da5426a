using System;
using System.IO;
using System.Threading;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Smime;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Benchmarks.Smime;

/// <summary>In-process encrypt of the benchmark messages (BenchmarkDotNet, with allocated bytes).</summary>
[MemoryDiagnoser]
public class SmimeEncryptBenchmarks
{
    private string _directory = string.Empty;
    private FileStream? _source;
    private SmimeEncryptTransform? _transform;

    [Params(10 * 1024, 1024 * 1024, 25 * 1024 * 1024)]
    public int MessageBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "eea-bench");
        Directory.CreateDirectory(_directory);
        var certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(BenchmarkInputs.Certificate(_directory)));
        _transform = new SmimeEncryptTransform(new[] { certificate });
        _source = File.OpenRead(BenchmarkInputs.Message(_directory, MessageBytes));
    }

    [GlobalCleanup]
    public void Cleanup() => _source?.Dispose();

    [Benchmark]
    public void Encrypt()
    {
        _source!.Position = 0;
        _transform!.Apply(_source, Stream.Null, CancellationToken.None);
    }
}
