using System;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Tests.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Security;

/// <summary>
/// Issue 9 item 7: with header protection (RFC 8551 §3.1) the decrypted message/rfc822 is presented as the message.
/// Whoever can encrypt to the organisation writes that inner message, so it may supply display fields only, and its
/// From only when it equals the outer From or a valid signature inside the encryption binds it. The messages are
/// built and encrypted with openssl, the forged fields written by the test as the attacker would.
/// </summary>
public sealed class HeaderProtectionForgeryTests : IClassFixture<PipelineFixture>
{
    /// <summary>What the receiving server wrote on the outside (the test plays the receiving server).</summary>
    private const string OuterTrace = """
        Received: from mx.northwind.example by mx.contoso.example; Tue, 1 Dec 2026 10:00:00 +0000
        Authentication-Results: mx.contoso.example; dkim=none; spf=softfail smtp.mailfrom=northwind.example
        X-MS-Exchange-Organization-AuthAs: Anonymous
        """;

    /// <summary>What the attacker writes inside: trace, authentication and Exchange fields that claim an internal sender.</summary>
    private const string ForgedInnerFields = """
        Received: from exchange01.contoso.example by exchange02.contoso.example; Tue, 1 Dec 2026 09:59:00 +0000
        Return-Path: <ceo@contoso.example>
        Authentication-Results: mx.contoso.example; dkim=pass header.d=contoso.example; spf=pass; dmarc=pass
        ARC-Authentication-Results: i=1; mx.contoso.example; dkim=pass
        DKIM-Signature: v=1; a=rsa-sha256; d=contoso.example; s=sel; b=AAAA
        X-MS-Exchange-Organization-AuthAs: Internal
        X-MS-Exchange-Organization-AuthSource: exchange01.contoso.example
        X-EEA-Signature: valid; signer=ceo@contoso.example
        Sender: CEO <ceo@contoso.example>
        """;

    private readonly PipelineFixture _fixture;
    private readonly InboundAttackKit _kit;

    public HeaderProtectionForgeryTests(PipelineFixture fixture)
    {
        _fixture = fixture;
        _kit = new InboundAttackKit(fixture);
    }

    [Fact]
    public void InnerFromOfTheCeo_SignedByAPartner_IsNotShown_AndTheVerdictIsForTheShownFrom()
    {
        // Ivy signs an inner message that claims to come from the CEO, with her own genuine certificate.
        var signedBody = Encoding.ASCII.GetString(_kit.Sign(Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\nWire 250k to the account below today.\r\n"), "ivy"));
        var inner = InboundAttackKit.Crlf("From: CEO <ceo@contoso.example>\nTo: alice@contoso.example\nSubject: Urgent transfer\n" + ForgedInnerFields) + signedBody;
        var mime = Outer("From: Ivy <ivy@northwind.example>", _kit.Encrypt(InboundAttackKit.Wrapped(inner), "aes-256-gcm"));

        var delivered = _kit.Run(_kit.Policy(), mime);

        Assert.Equal("decrypted", delivered.Field("X-EEA-Decryption"));
        Assert.Equal(new[] { "Ivy <ivy@northwind.example>" }, delivered.Fields("From"));
        Assert.DoesNotContain("ceo@contoso.example", delivered.Message.From.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(delivered.Logged(3009), "event 3009 (SmimeInnerFromNotShown)");

        // The verdict speaks about the From the reader sees: Ivy signed, Ivy is shown. Never "valid" above the CEO.
        Assert.Equal("valid; signer=ivy@northwind.example", delivered.Field("X-EEA-Signature"));
        AssertOnlyOuterTrace(delivered);
        Assert.Equal("Urgent transfer", delivered.Message.Subject);
    }

    [Fact]
    public void InnerFromOfTheCeo_SignedByAPartner_UnderAnotherOuterFrom_IsInvalid()
    {
        var signedBody = Encoding.ASCII.GetString(_kit.Sign(Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\nWire 250k today.\r\n"), "ivy"));
        var inner = InboundAttackKit.Crlf("From: CEO <ceo@contoso.example>\nTo: alice@contoso.example\nSubject: Urgent transfer") + signedBody;
        var mime = Outer("From: Billing <billing@northwind.example>", _kit.Encrypt(InboundAttackKit.Wrapped(inner), "aes-256-gcm"));

        var delivered = _kit.Run(_kit.Policy(), mime, mailFrom: "billing@northwind.example");

        Assert.Equal(new[] { "Billing <billing@northwind.example>" }, delivered.Fields("From"));
        Assert.Equal("invalid; signer=ivy@northwind.example; reason=address-mismatch", delivered.Field("X-EEA-Signature"));
    }

    [Fact]
    public void UnsignedInnerMessage_CannotRewriteTraceAuthenticationOrExchangeFields()
    {
        var inner = InboundAttackKit.Crlf("From: Ivy <ivy@northwind.example>\nTo: alice@contoso.example\nSubject: The real subject\n"
            + "Keywords: budget\n" + ForgedInnerFields + "Content-Type: text/plain\n\nSee you on Monday.");
        var mime = Outer("From: Ivy <ivy@northwind.example>", _kit.Encrypt(InboundAttackKit.Wrapped(inner), "aes-256-gcm"));

        var delivered = _kit.Run(_kit.Policy(), mime);

        Assert.Equal("decrypted", delivered.Field("X-EEA-Decryption"));
        Assert.Equal("none", delivered.Field("X-EEA-Signature"));
        AssertOnlyOuterTrace(delivered);

        // Display fields come from inside (that is what header protection is for); the equal From is shown.
        Assert.Equal("The real subject", delivered.Message.Subject);
        Assert.Equal("budget", delivered.Field("Keywords"));
        Assert.Equal(new[] { "Ivy <ivy@northwind.example>" }, delivered.Fields("From"));
        Assert.Contains("See you on Monday.", delivered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void InnerFromBoundToAValidSignatureInside_IsShown()
    {
        // A partner gateway wraps Dave's signed message: the inner From differs from the outer one, and Dave's own
        // signature inside the encryption binds it.
        var signedBody = Encoding.ASCII.GetString(_kit.Sign(Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\nMinutes attached.\r\n"), "dave"));
        var inner = InboundAttackKit.Crlf("From: Dave <dave@fabrikam.example>\nTo: alice@contoso.example\nSubject: Minutes") + signedBody;
        var mime = Outer("From: Fabrikam Gateway <gateway@fabrikam.example>", _kit.Encrypt(InboundAttackKit.Wrapped(inner), "aes-256-gcm"));

        var delivered = _kit.Run(_kit.Policy(), mime, mailFrom: "gateway@fabrikam.example");

        Assert.Equal(new[] { "Dave <dave@fabrikam.example>" }, delivered.Fields("From"));
        Assert.Equal("valid; signer=dave@fabrikam.example", delivered.Field("X-EEA-Signature"));
        Assert.False(delivered.Logged(3009), "event 3009 must not be written for a bound From");
    }

    private static string Outer(string from, byte[] encrypted)
        => InboundAttackKit.Message(OuterTrace + "\n" + from + "\nTo: alice@contoso.example\nSubject: ...\nMessage-ID: <outer-" + Guid.NewGuid().ToString("N") + "@northwind.example>", encrypted);

    private static void AssertOnlyOuterTrace(Delivered delivered)
    {
        Assert.Equal(new[] { "from mx.northwind.example by mx.contoso.example; Tue, 1 Dec 2026 10:00:00 +0000" }, delivered.Fields("Received"));
        Assert.Equal(new[] { "mx.contoso.example; dkim=none; spf=softfail smtp.mailfrom=northwind.example" }, delivered.Fields("Authentication-Results"));
        Assert.Equal(new[] { "Anonymous" }, delivered.Fields("X-MS-Exchange-Organization-AuthAs"));
        Assert.Empty(delivered.Fields("X-MS-Exchange-Organization-AuthSource"));
        Assert.Empty(delivered.Fields("Return-Path"));
        Assert.Empty(delivered.Fields("ARC-Authentication-Results"));
        Assert.Empty(delivered.Fields("DKIM-Signature"));
        Assert.Empty(delivered.Fields("Sender"));
        Assert.Single(delivered.Fields("X-EEA-Signature"));
        Assert.DoesNotContain("ceo@contoso.example", delivered.Field("X-EEA-Signature") ?? string.Empty, StringComparison.Ordinal);
    }
}
