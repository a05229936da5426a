using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Benchmarks.Policy;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Smime.Inbound;

namespace ExchangeEncryptionAgent.Benchmarks.Inbound;

/// <summary>
/// The hostile MIME structures (deep nesting, a multipart never closed, tens of thousands of tiny parts, binary
/// garbage) through the inbound S/MIME walker, which looks for an S/MIME layer in each: none is found, the message
/// passes through. Same budget as HostileMessageBenchmarks: 8 MB well under a second, within about 10x of 1 MB.
/// </summary>
[MemoryDiagnoser]
public class HostileStructureInboundBenchmarks
{
    private ICertificateDirectory _directory = null!;
    private byte[] _deepNesting = null!;
    private byte[] _unterminatedMultipart = null!;
    private byte[] _manyTinyParts = null!;
    private byte[] _binaryGarbage = null!;

    [Params(1, 8)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = InboundBenchmarkInputs.HostileInputDirectory();
        var size = Megabytes * 1024 * 1024;
        _deepNesting = HostileMessages.DeepNesting(size);
        _unterminatedMultipart = HostileMessages.UnterminatedMultipart(size);
        _manyTinyParts = HostileMessages.ManyTinyParts(size);
        _binaryGarbage = HostileMessages.BinaryGarbage(size);
    }

    [Benchmark]
    public int? DeepNesting() => Walk(_deepNesting);

    [Benchmark]
    public int? UnterminatedMultipart() => Walk(_unterminatedMultipart);

    [Benchmark]
    public int? ManyTinyParts() => Walk(_manyTinyParts);

    [Benchmark]
    public int? BinaryGarbage() => Walk(_binaryGarbage);

    private int? Walk(byte[] eml) => (int?)InboundBenchmarkInputs.DecryptInto(_directory, eml).Decryption; // the result type is internal; its value keeps the work observable
}
