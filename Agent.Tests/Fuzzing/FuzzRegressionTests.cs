using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Fuzz;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Tests.Fuzzing;

/// <summary>
/// The crashes afl-fuzz found in the inbound S/MIME walker (fuzz/corpus/smime/crash-*.eml: encrypted messages whose
/// ContentInfo or EnvelopedData/AuthEnvelopedData header does not parse: a length over 31 bits, an unknown or
/// primitive-set tag, a wrong context tag, a bad GeneralizedTime, a truncated definite length). Each escaped the
/// transform as a BouncyCastle exception; now each is a failed decryption with the documented outcome: the uniform
/// failure stamp and event 3002 with PassThrough, the uniform error and nothing written with Defer. And the policy
/// file on which System.Xml threw an ArgumentOutOfRangeException (fuzz/corpus/policy/crash-*.xml).
/// </summary>
public sealed class FuzzRegressionTests : IDisposable
{
    private readonly FuzzFixture _fixture = FuzzFixture.Create(Path.Combine(RepoPaths.Root, "fuzz", "fixtures"));

    public static TheoryData<string> Crashes()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(CorpusReplayTests.CorpusDirectory, "smime"), "crash-*").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public void MalformedCmsHeader_PassThrough_IsAFailedDecryption_StampedAndLogged(string file)
    {
        var log = new CollectingAgentLog();
        var transform = new InboundSmimeTransform(Options(InboundFailureAction.PassThrough), _fixture.Policy.Certificates, log);
        using var output = new MemoryStream();

        transform.Apply(new MemoryStream(Input(file), writable: false), output, default);

        Assert.Equal(DecryptionOutcome.Failed, transform.Result!.Decryption);
        Assert.False(transform.Result.BodyReplaced);
        var headers = Encoding.Latin1.GetString(output.ToArray()).Split("\r\n\r\n")[0];
        Assert.Contains("X-EEA-Decryption: failed", headers, StringComparison.Ordinal);
        Assert.True(log.Has(EventIds.SmimeDecryptionFailed), string.Join("\n", log.Entries.Select(e => e.Event + " " + e.Message)));
        Assert.Empty(Directory.GetFiles(_fixture.SpoolDirectory));
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public void MalformedCmsHeader_Defer_ThrowsTheUniformError_AndWritesNothing(string file)
    {
        var transform = new InboundSmimeTransform(Options(InboundFailureAction.Defer), _fixture.Policy.Certificates, new CollectingAgentLog());
        using var output = new MemoryStream();

        var error = Assert.Throws<MessageTransformException>(() => transform.Apply(new MemoryStream(Input(file), writable: false), output, default));

        Assert.Equal(InboundSmimeHeaders.UniformDecryptionFailure, error.Message);
        Assert.Equal(0, output.Length);
        Assert.Empty(Directory.GetFiles(_fixture.SpoolDirectory));
    }

    [Fact]
    public void PolicyWhoseXmlDeclarationSwitchesEncoding_IsARefusedFile_NotAnException()
    {
        // afl-fuzz (policy target): System.Xml threw ArgumentOutOfRangeException out of PolicyLoader, which promises
        // to report every bad file as errors; the watcher would have logged a crash instead of event 1101.
        var bytes = File.ReadAllBytes(Path.Combine(CorpusReplayTests.CorpusDirectory, "policy", "crash-xml-encoding-switch.xml"));

        var result = ExchangeEncryptionAgent.Policy.PolicyLoader.Load(bytes, "policy.xml", "/policies/policy.xml");

        Assert.False(result.Succeeded);
        Assert.Contains("could not be read as XML", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _fixture.Dispose();

    private static byte[] Input(string file) => File.ReadAllBytes(Path.Combine(CorpusReplayTests.CorpusDirectory, "smime", file));

    private InboundSmimeOptions Options(InboundFailureAction onFailure) => new()
    {
        Decrypt = new DecryptSmimeAction { OnFailure = onFailure },
        ReceivedUtc = FuzzFixture.ReceivedUtc,
        TemporaryFiles = new TemporaryFileFactory(_fixture.SpoolDirectory),
    };
}
