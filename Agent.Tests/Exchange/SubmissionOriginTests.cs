using System;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Content;
using Microsoft.Exchange.Data.Transport;
using Xunit;
using static ExchangeApi.Simulator.Tests.TestMessages;

namespace ExchangeEncryptionAgent.Tests.Exchange;

/// <summary>
/// The adapter turns what Exchange says about the submission (delivery method, original authenticator) into the
/// engine's <see cref="SubmissionOrigin"/>, and takes nothing else into account. The simulator's own tests prove that
/// it answers those two as Exchange does.
/// </summary>
public sealed class SubmissionOriginTests
{
    [Theory]
    [InlineData("Mailbox", "", SubmissionOrigin.Mailbox)]
    [InlineData("Mailbox", "<>", SubmissionOrigin.Mailbox)]
    [InlineData("Smtp", "<>", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("Smtp", " <> ", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("Smtp", "CONTOSO\\scanner", SubmissionOrigin.SmtpAuthenticated)]
    [InlineData("Smtp", "", SubmissionOrigin.Unknown)]
    [InlineData("File", "", SubmissionOrigin.Pickup)]
    [InlineData("File", "<>", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("Unknown", "", SubmissionOrigin.Unknown)]
    public void Adapter_Origin_IsTheHostsWordOnly(string method, string authenticator, SubmissionOrigin expected)
        => Assert.Equal(expected, MailItemAdapter.Origin(Enum.Parse<DeliveryMethod>(method), authenticator));

    [Theory]
    [InlineData("ceo@contoso.com", "SmtpAnonymous", SubmissionOrigin.SmtpAnonymous)]
    [InlineData("alice@contoso.com", null, SubmissionOrigin.Mailbox)]
    [InlineData("<>", null, SubmissionOrigin.SmtpAnonymous)]
    [InlineData("scanner@contoso.com", "SmtpAuthenticated", SubmissionOrigin.SmtpAuthenticated)]
    [InlineData("report@contoso.com", "Pickup", SubmissionOrigin.Pickup)]
    public void Adapter_ReadsTheSimulatedServersAnswers(string mailFrom, string? origin, SubmissionOrigin expected)
    {
        (DeliveryMethod Method, string Authenticator)? seen = null;
        var script = new AgentScript { Resolved = call => seen = (call.Item.InboundDeliveryMethod, call.Item.OriginalAuthenticator) };
        var message = new SimulatedMessage(mailFrom, [Bob, Carol], () => new System.IO.MemoryStream(Ascii(PlainMime)))
        {
            Origin = origin is null ? null : Enum.Parse<SimulatedOrigin>(origin),
        };

        using var result = new TransportSimulator(new TransportSimulatorOptions()).Run(() => new ScriptedAgentFactory(script), message);

        Assert.True(result.Healthy, result.ToString());
        Assert.Equal(expected, MailItemAdapter.Origin(seen!.Value.Method, seen.Value.Authenticator));
    }
}
