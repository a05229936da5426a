using System;
using System.IO;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Processing;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// Target "rules": the bytes as a message (MessageContext), every fact conditions read, and the fixture policy's
/// rules evaluated for a sender inside and one outside. Neither MessageContext nor PolicyEvaluator may throw: a
/// malformed message is a result, a failing condition a rule error.
/// </summary>
public sealed class MessageRulesTarget : IFuzzTarget
{
    private static readonly DateTimeOffset Now = new(FuzzFixture.ReceivedUtc);
    private readonly FuzzFixture _fixture;

    /// <summary>Creates the target over <paramref name="fixture"/>.</summary>
    public MessageRulesTarget(FuzzFixture fixture) => _fixture = fixture;

    /// <inheritdoc />
    public string Name => "rules";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        Evaluate(input, "alice@contoso.example", SubmissionOrigin.Mailbox);
        Evaluate(input, "mallory@fabrikam.example", SubmissionOrigin.SmtpAnonymous);
    }

    private void Evaluate(byte[] input, string mailFrom, SubmissionOrigin origin)
    {
        var envelope = new MessageEnvelope(
            mailFrom,
            new[]
            {
                new EnvelopeRecipientInput("bob@northwind.example"),
                new EnvelopeRecipientInput("grace@fabrikam.example"),
                new EnvelopeRecipientInput("ed@contoso.example"),
            },
            origin,
            authenticatedSubmitter: origin == SubmissionOrigin.Mailbox ? mailFrom : null);
        using var context = MessageContext.Create(envelope, new MemoryStream(input, writable: false), leaveOpen: false);

        // Every fact once, whatever the rules ask for: a rule that stops early must not hide a reader's defect.
        _ = context.ParseFailed;
        _ = context.Subject;
        _ = context.Types;
        _ = context.Attachments.Count;
        _ = context.BodyText;
        _ = context.Importance;
        _ = context.Sensitivity;
        _ = context.SensitivityLabels.Count;
        _ = context.MessageClassifications.Count;
        _ = context.FromAddress;
        _ = context.SenderAddress;
        _ = context.ToCcAddresses.Count;
        _ = context.GetHeaderValues("X-Classification").Count;
        var decision = PolicyEvaluator.Evaluate(_fixture.Policy.Policy, context, Now);
        if (decision.Recipients.Count != envelope.Recipients.Count)
        {
            throw new FuzzFindingException($"the decision names {decision.Recipients.Count} recipients of {envelope.Recipients.Count}");
        }
    }
}
