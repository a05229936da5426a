using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeEncryptionAgent.Tests.Support;
using MimeKit;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// What the inbound attacks need: messages signed and encrypted by openssl with the demo PKI of
/// <see cref="PipelineFixture"/>, edited as an attacker would, and run through the real agent (policy, production
/// certificate directory and validator, simulated transport) to an internal recipient.
/// </summary>
internal sealed class InboundAttackKit
{
    public const string Alice = "alice@contoso.example";
    public const string Ivy = "ivy@northwind.example";
    public const string InvalidTag = "[not valid]";

    private readonly PipelineFixture _fixture;

    public InboundAttackKit(PipelineFixture fixture) => _fixture = fixture;

    private string PkiFolder => Path.Combine(_fixture.Directory, "pki");

    /// <summary>The inbound rule of the demo policy, with extra DecryptSmime attributes.</summary>
    public string Policy(string decryptAttributes = "")
        => _fixture.WritePolicy($"""
            <Rule Name="Inbound: decrypt and verify" Priority="0">
              <Conditions>
                <FromScope>NotInOrganization</FromScope>
                <SentToScope>InOrganization</SentToScope>
              </Conditions>
              <Actions>
                <DecryptSmime {decryptAttributes} />
                <VerifySmime InvalidSubjectTag="{InvalidTag}" />
              </Actions>
            </Rule>
            """);

    /// <summary>openssl cms -sign (detached, multipart/signed) of <paramref name="entity"/> by a demo certificate; MIME headers and body only.</summary>
    public byte[] Sign(byte[] entity, string signer)
        => OpenSsl(entity, "cms", "-sign", "-binary", "-signer", signer + ".crt", "-inkey", signer + ".key", "-md", "sha256", "-certfile", "ca.crt", "-outform", "SMIME");

    /// <summary>openssl cms -encrypt of <paramref name="entity"/> to the organisation's decryption certificate.</summary>
    public byte[] Encrypt(byte[] entity, string cipher)
        => OpenSsl(entity, "cms", "-encrypt", "-binary", "-" + cipher, "-recip", "contoso-decryption.crt", "-outform", "SMIME");

    /// <summary>A whole message: <paramref name="headers"/> (CRLF-separated lines) over an openssl S/MIME entity.</summary>
    public static string Message(string headers, byte[] smimeEntity)
        => Crlf(headers) + Encoding.ASCII.GetString(smimeEntity);

    /// <summary>A message/rfc822 entity wrapping <paramref name="innerMessage"/> (header protection, RFC 8551 §3.1).</summary>
    public static byte[] Wrapped(string innerMessage)
        => Encoding.ASCII.GetBytes("Content-Type: message/rfc822\r\n\r\n" + innerMessage);

    /// <summary>Runs one message from <paramref name="mailFrom"/> to Alice; returns the delivered copy and the log.</summary>
    public Delivered Run(string policy, string mime, string mailFrom = Ivy)
    {
        using var run = _fixture.Run(policy, mime, mailFrom, Alice);
        Assert.True(run.Result.Healthy, run.Result.ToString());
        var bytes = run.CopyFor(Alice).ReadAllBytes();
        return new Delivered(bytes, run.Log);
    }

    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n").TrimEnd('\r', '\n') + "\r\n";

    private byte[] OpenSsl(byte[] input, params string[] arguments)
    {
        var name = "attack-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(Path.Combine(PkiFolder, name + ".in"), input);
        var all = arguments.Concat(new[] { "-in", name + ".in", "-out", name + ".out" }).ToArray();
        var result = ExternalTool.OpenSsl(PkiFolder, all);
        Assert.True(result.ExitCode == 0, "openssl " + string.Join(' ', all) + "\n" + result);
        return File.ReadAllBytes(Path.Combine(PkiFolder, name + ".out"));
    }
}

/// <summary>The copy delivered to the internal recipient, parsed the way a client would.</summary>
internal sealed class Delivered
{
    public Delivered(byte[] bytes, IReadOnlyList<string> log)
    {
        Bytes = bytes;
        Log = log;
        using var stream = new MemoryStream(bytes, writable: false);
        Message = MimeMessage.Load(stream);
    }

    public byte[] Bytes { get; }

    public IReadOnlyList<string> Log { get; }

    public MimeMessage Message { get; }

    public string Text => Encoding.Latin1.GetString(Bytes);

    /// <summary>Every value of the top-level field <paramref name="name"/>, unfolded.</summary>
    public IReadOnlyList<string> Fields(string name)
        => Message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.Trim()).ToList();

    public string? Field(string name) => Fields(name).SingleOrDefault();

    public bool Logged(int eventId) => Log.Any(l => l.Contains($"|{eventId}|", StringComparison.Ordinal));
}
