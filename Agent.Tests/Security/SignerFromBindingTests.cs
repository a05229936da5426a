using System;
using System.Text;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9 item 11: a signature speaks for the one From mailbox the reader sees (RFC 8550 §3). Ivy holds a genuine
/// certificate under a configured anchor; she signs with openssl, then edits the header fields the signature does not
/// cover so that the reader sees the CEO as the author. The real agent must not say "valid".
/// </summary>
public sealed class SignerFromBindingTests : IClassFixture<PipelineFixture>
{
    private readonly InboundAttackKit _kit;

    public SignerFromBindingTests(PipelineFixture fixture) => _kit = new InboundAttackKit(fixture);

    private static readonly byte[] Content = Encoding.ASCII.GetBytes(
        "Content-Type: text/plain; charset=us-ascii\r\n\r\nPlease pay invoice 4711 to the new account today.\r\n");

    [Theory]
    [InlineData("From: CEO <ceo@contoso.example>\nFrom: Ivy <ivy@northwind.example>", "from-not-single")]
    [InlineData("From: Ivy <ivy@northwind.example>\nFrom: CEO <ceo@contoso.example>", "from-not-single")]
    [InlineData("From: CEO <ceo@contoso.example>, Ivy <ivy@northwind.example>", "from-not-single")]
    [InlineData("From: Board: CEO <ceo@contoso.example>, Ivy <ivy@northwind.example>;", "from-not-single")]
    [InlineData("From: CEO <ceo@contoso.example>\nSender: Ivy <ivy@northwind.example>", "signer-is-sender")]
    [InlineData("From: CEO <ceo@contoso.example>", "address-mismatch")]
    public void SignatureOfSomeoneElseThanTheSingleShownFrom_IsNotValid(string fromFields, string reason)
    {
        var signed = _kit.Sign(Content, "ivy");
        var mime = InboundAttackKit.Message(fromFields + "\nTo: alice@contoso.example\nSubject: Invoice 4711", signed);

        var delivered = _kit.Run(_kit.Policy(), mime);

        var verdict = delivered.Field("X-EEA-Signature");
        Assert.NotNull(verdict);
        Assert.StartsWith("invalid;", verdict, StringComparison.Ordinal);
        Assert.EndsWith("reason=" + reason, verdict, StringComparison.Ordinal);
        Assert.StartsWith(InboundAttackKit.InvalidTag, delivered.Message.Subject, StringComparison.Ordinal);
        Assert.True(delivered.Logged(3011), "event 3011 (SignatureInvalid)");
    }

    [Fact]
    public void SignatureOfTheSingleShownFrom_IsValid()
    {
        var signed = _kit.Sign(Content, "ivy");
        var mime = InboundAttackKit.Message("From: Ivy <ivy@northwind.example>\nTo: alice@contoso.example\nSubject: Invoice 4711", signed);

        var delivered = _kit.Run(_kit.Policy(), mime);

        Assert.Equal("valid; signer=ivy@northwind.example", delivered.Field("X-EEA-Signature"));
        Assert.Equal("Invoice 4711", delivered.Message.Subject);
    }
}
