using System;
using System.Text;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9 item 12: a multipart/signed has exactly two parts (RFC 1847 §2.1). An attacker who captured a genuinely
/// signed message appends a third part after the signature; clients show it with the rest. It is unsigned content,
/// so the message must not be stamped valid.
/// </summary>
public sealed class UnsignedPartsTests : IClassFixture<PipelineFixture>
{
    private const string Headers = "From: Ivy <ivy@northwind.example>\nTo: alice@contoso.example\nSubject: Account details";

    private static readonly byte[] Content = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain; charset=us-ascii\r\n\r\nOur bank details have not changed.\r\n");

    private readonly InboundAttackKit _kit;

    public UnsignedPartsTests(PipelineFixture fixture) => _kit = new InboundAttackKit(fixture);

    [Theory]
    [InlineData("text/html", "<p>Correction: our bank account is now DE00 6666 6666.</p>")]
    [InlineData("text/plain", "Correction: our bank account is now DE00 6666 6666.")]
    public void PartAppendedAfterTheSignature_MakesTheMessageInvalid(string type, string text)
    {
        var signed = Encoding.ASCII.GetString(_kit.Sign(Content, "ivy"));
        var boundary = Regex.Match(signed, "boundary=\"([^\"]+)\"").Groups[1].Value;
        var close = "--" + boundary + "--";
        var index = signed.LastIndexOf(close, StringComparison.Ordinal);
        Assert.True(index > 0, "close delimiter not found");
        var attacked = signed[..index] + "--" + boundary + "\r\nContent-Type: " + type + "; charset=us-ascii\r\n\r\n" + text + "\r\n" + signed[index..];

        var delivered = _kit.Run(_kit.Policy(), InboundAttackKit.Crlf(Headers) + attacked);

        Assert.Equal("invalid; signer=ivy@northwind.example; reason=unsigned-parts", delivered.Field("X-EEA-Signature"));
        Assert.StartsWith(InboundAttackKit.InvalidTag, delivered.Message.Subject, StringComparison.Ordinal);
        Assert.True(delivered.Logged(3011), "event 3011 (SignatureInvalid)");
    }

    [Fact]
    public void UntouchedSignedMessage_IsValid()
    {
        var signed = Encoding.ASCII.GetString(_kit.Sign(Content, "ivy"));

        var delivered = _kit.Run(_kit.Policy(), InboundAttackKit.Crlf(Headers) + signed);

        Assert.Equal("valid; signer=ivy@northwind.example", delivered.Field("X-EEA-Signature"));
    }
}
