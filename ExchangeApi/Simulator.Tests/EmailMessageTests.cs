using System;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Email;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeApi.Simulator.Tests;

public sealed class EmailMessageTests
{
    [Fact]
    public void PlainMessage_IsNotSystemNorSecured()
    {
        var seen = Observe(PlainMime);

        Assert.False(seen.IsSystemMessage);
        Assert.False(seen.IsOpaqueMessage);
        Assert.Equal(MessageSecurityType.None, seen.SecurityType);
        Assert.Equal("Quarterly report", seen.Subject);
        Assert.Equal("<report-1@contoso.com>", seen.MessageId);
    }

    [Fact]
    public void MultipartReport_IsSystemMessage()
    {
        var seen = Observe(NonDeliveryReportMime);

        Assert.True(seen.IsSystemMessage);
        Assert.Equal(MessageSecurityType.None, seen.SecurityType);
        Assert.Equal("Undeliverable: Quarterly report", seen.Subject);
    }

    [Theory]
    [InlineData("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b", MessageSecurityType.ClearSigned, false)]
    [InlineData("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m", MessageSecurityType.OpaqueSigned, true)]
    [InlineData("application/x-pkcs7-mime; smime-type=enveloped-data", MessageSecurityType.Encrypted, true)]
    [InlineData("Application/PKCS7-MIME; smime-type=\"authEnveloped-data\"", MessageSecurityType.Encrypted, true)]
    [InlineData("multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b", MessageSecurityType.Encrypted, true)]
    [InlineData("multipart/mixed; boundary=b", MessageSecurityType.None, false)]
    public void SecurityType_FollowsTheTopLevelContentType(string contentType, MessageSecurityType expected, bool opaque)
    {
        var seen = Observe("From: alice@contoso.com\r\nSubject: s\r\nContent-Type: " + contentType + "\r\n\r\nbody\r\n");

        Assert.Equal(expected, seen.SecurityType);
        Assert.Equal(opaque, seen.IsOpaqueMessage);
        Assert.False(seen.IsSystemMessage);
    }

    [Fact]
    public void EncodedSubject_IsDecoded()
    {
        var seen = Observe("Subject: =?utf-8?B?R3LDvMOfZQ==?= =?iso-8859-1?Q?_aus_K=F6ln?=\r\nContent-Type: text/plain\r\n\r\nx\r\n");

        Assert.Equal("Grüße aus Köln", seen.Subject);
    }

    [Fact]
    public void Message_DescribesTheCurrentContent_AfterARewrite()
    {
        bool? before = null;
        bool? after = null;
        var script = new AgentScript
        {
            Routed = call =>
            {
                var message = call.Item.Message;
                before = message.IsSystemMessage;
                using (var write = call.Item.GetMimeWriteStream()!)
                {
                    write.Write(Ascii(NonDeliveryReportMime));
                }

                after = message.IsSystemMessage;
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), Plain());

        Assert.False(before);
        Assert.True(after);
    }

    private static Seen Observe(string mime)
    {
        Seen? seen = null;
        var script = new AgentScript
        {
            Categorized = call =>
            {
                var m = call.Item.Message;
                seen = new Seen(m.IsSystemMessage, m.IsOpaqueMessage, m.MessageSecurityType, m.Subject, m.MessageId);
            },
        };

        using var result = new TransportSimulator().Run(() => new ScriptedAgentFactory(script), SimulatedMessage.FromText(Sender, [Bob], mime));
        Assert.True(result.Healthy, result.ToString());
        return seen ?? throw new InvalidOperationException("OnCategorizedMessage was not raised.");
    }

    private sealed record Seen(bool IsSystemMessage, bool IsOpaqueMessage, MessageSecurityType SecurityType, string Subject, string MessageId);
}
