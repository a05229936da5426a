using System.Text;
using BenchmarkDotNet.Attributes;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Smime.Inbound;

namespace ExchangeEncryptionAgent.Benchmarks.Inbound;

/// <summary>
/// Hostile inbound input must cost time linear in its size: 40 MB of base64 that decodes to zeros (no ContentInfo)
/// fails and passes through in about the time of copying it (budget: the 40 MB case within about 10x of 4 MB).
/// BadInputTests holds the outcome and the flat allocation; the time is measured here.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class HostileInboundBenchmarks
{
    private ICertificateDirectory _directory = null!;
    private byte[] _message = null!;

    [Params(4, 40)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = InboundBenchmarkInputs.HostileInputDirectory();
        var line = new string('A', 76) + "\r\n";
        var body = new StringBuilder(Megabytes * 1024 * 1024);
        while (body.Length < Megabytes * 1024 * 1024)
        {
            body.Append(line);
        }

        _message = Encoding.ASCII.GetBytes(
            "From: bob@fabrikam.example\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\n" + body);
    }

    [Benchmark]
    public int? HugeBase64OfZeros() => (int?)InboundBenchmarkInputs.DecryptInto(_directory, _message).Decryption; // the outcome type is internal
}
