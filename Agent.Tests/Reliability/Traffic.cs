using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeEncryptionAgent.Tests.Security;

namespace ExchangeEncryptionAgent.Tests.Reliability;

/// <summary>The kinds of message the fault matrix and the soak send, each through the rule of <see cref="Traffic.Rules"/> it exercises.</summary>
public enum MessageClass
{
    /// <summary>To a partner whose gateway certificate a rule encrypts to.</summary>
    Encrypt,

    /// <summary>To a partner a rule signs for (with the organisation key).</summary>
    Sign,

    /// <summary>To a partner a rule both signs and encrypts for (to his personal certificate).</summary>
    SignAndEncrypt,

    /// <summary>To a domain a rule rejects.</summary>
    Reject,

    /// <summary>To a partner a rule routes over the forced-TLS connector.</summary>
    Route,

    /// <summary>Encrypted by a partner (with openssl) to the organisation's decryption certificate.</summary>
    InboundDecrypt,

    /// <summary>Inside the organisation, matched by no rule.</summary>
    Pass,
}

/// <summary>What happened to the recipient a rule protects, judged from what the simulated transport recorded.</summary>
public enum FaultOutcome
{
    /// <summary>The fault changed nothing: the rule's treatment applied (encrypted, signed, rejected, routed, decrypted).</summary>
    AsPolicy,

    /// <summary>The message was deferred with a transient 451 4.7.0 (Exchange retries it).</summary>
    Deferred,

    /// <summary>The defer itself failed: the recipient got an NDR (550 5.7.0, "not sent, please send it again").</summary>
    NotSent,

    /// <summary>
    /// The rule could not be carried out and its fallback applied (here the default one: the recipient is rejected,
    /// 550 5.7.1): for example while the partner's certificate file is unreadable, which the loader skips with event 2102.
    /// </summary>
    Fallback,

    /// <summary>Inbound only: delivered still encrypted (nothing was decrypted, nothing leaked).</summary>
    KeptCiphertext,

    /// <summary>Passed unchanged (only for recipients no rule protects).</summary>
    Unchanged,

    /// <summary>None of the above: an undefined outcome (always a failure).</summary>
    Undefined,
}

/// <summary>One message of a class: its envelope, bytes, and the recipient whose protection is judged.</summary>
internal sealed record TrafficMessage(MessageClass Class, string MailFrom, IReadOnlyList<SimulatedRecipient> Recipients, byte[] Content, string Judged, string Marker)
{
    public SimulatedMessage ToSimulated() => new(MailFrom, Recipients.ToList(), () => new MemoryStream(Content, writable: false));
}

/// <summary>
/// The traffic both the fault matrix and the soak use: one policy with a rule per message class, over the demo PKI of
/// <see cref="PipelineFixture"/>, and messages of each class built to any body size. Each outbound message also goes to
/// an unprotected colleague inside, so the agent must Fork it (the Fork seam is reached).
/// </summary>
internal static class Traffic
{
    public const string Alice = "alice@contoso.example";
    public const string Erin = "erin@contoso.example";
    public const string Ivy = "ivy@northwind.example";

    public const string Rules = """
        <Rule Name="Encrypt Fabrikam" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway" /></Actions>
        </Rule>
        <Rule Name="Sign Tailspin" Priority="1">
          <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
          <Actions><SignSmime Signer="Organization" OrganizationKey="contoso-signing" /></Actions>
        </Rule>
        <Rule Name="Sign and encrypt Northwind" Priority="2">
          <Conditions><RecipientDomainIs><Value>northwind.example</Value></RecipientDomainIs></Conditions>
          <Actions>
            <SignSmime Signer="Organization" OrganizationKey="contoso-signing" />
            <EncryptSmime Certificate="Personal" />
          </Actions>
        </Rule>
        <Rule Name="Block competitor" Priority="3">
          <Conditions><RecipientDomainIs><Value>competitor.example</Value></RecipientDomainIs></Conditions>
          <Actions><RejectMessage EnhancedStatusCode="5.7.950" Reason="Mail to competitor.example is blocked" /></Actions>
        </Rule>
        <Rule Name="Litware over TLS" Priority="4">
          <Conditions><RecipientDomainIs><Value>litware.example</Value></RecipientDomainIs></Conditions>
          <Actions><RouteRequireTls /></Actions>
        </Rule>
        <Rule Name="Inbound: decrypt and verify" Priority="5">
          <Conditions>
            <FromScope>NotInOrganization</FromScope>
            <SentToScope>InOrganization</SentToScope>
          </Conditions>
          <Actions><DecryptSmime /><VerifySmime /></Actions>
        </Rule>
        """;

    /// <summary>The recipient each class protects.</summary>
    public static string JudgedRecipient(MessageClass messageClass) => messageClass switch
    {
        MessageClass.Encrypt => "dave@fabrikam.example",
        MessageClass.Sign => "grace@tailspin.example",
        MessageClass.SignAndEncrypt => "bob@northwind.example",
        MessageClass.Reject => "mallory@competitor.example",
        MessageClass.Route => "henry@litware.example",
        MessageClass.InboundDecrypt => Alice,
        _ => Erin,
    };

    /// <summary>A text/plain message of about <paramref name="bodyBytes"/> bytes whose body carries a unique marker.</summary>
    public static TrafficMessage Outbound(MessageClass messageClass, int bodyBytes)
    {
        var judged = JudgedRecipient(messageClass);
        var marker = "MARKER-" + Guid.NewGuid().ToString("N");
        var mime = Entity(judged, marker, bodyBytes, Alice);
        var recipients = messageClass == MessageClass.Pass
            ? new[] { new SimulatedRecipient(Erin, true) }
            : new[] { new SimulatedRecipient(judged, false), new SimulatedRecipient(Erin, true) };
        return new TrafficMessage(messageClass, Alice, recipients, Encoding.ASCII.GetBytes(mime), judged, marker);
    }

    /// <summary>An inbound message: a text entity of about <paramref name="bodyBytes"/> encrypted by openssl (AES-256-GCM) to the decryption certificate.</summary>
    public static TrafficMessage Inbound(PipelineFixture fixture, int bodyBytes)
    {
        var marker = "MARKER-" + Guid.NewGuid().ToString("N");
        var entity = Encoding.ASCII.GetBytes(Body(marker, bodyBytes));
        var smime = new InboundAttackKit(fixture).Encrypt(entity, "aes-256-gcm");
        var headers = $"From: {Ivy}\r\nTo: {Alice}\r\nSubject: Inbound figures\r\nMessage-ID: <{Guid.NewGuid():N}@northwind.example>\r\nMIME-Version: 1.0";
        var mime = InboundAttackKit.Message(headers, smime);
        return new TrafficMessage(MessageClass.InboundDecrypt, Ivy, new[] { new SimulatedRecipient(Alice, true) }, Encoding.ASCII.GetBytes(mime), Alice, marker);
    }

    private static string Entity(string to, string marker, int bodyBytes, string from)
        => $"From: {from}\r\nTo: {to}\r\nSubject: Quarterly figures\r\nMessage-ID: <{Guid.NewGuid():N}@contoso.example>\r\nMIME-Version: 1.0\r\n" + Body(marker, bodyBytes);

    private static string Body(string marker, int bodyBytes)
    {
        var text = new StringBuilder("Content-Type: text/plain; charset=us-ascii\r\n\r\n").Append(marker).Append("\r\n");
        const string Line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
        while (text.Length < bodyBytes)
        {
            text.Append(Line);
        }

        return text.ToString();
    }

    /// <summary>What happened to the judged recipient of <paramref name="message"/>.</summary>
    public static FaultOutcome Judge(TrafficMessage message, SimulationResult result)
    {
        var who = message.Judged;
        var delivered = result.Delivered.Where(c => c.RecipientAddresses.Contains(who, StringComparer.OrdinalIgnoreCase)).ToList();
        var ndrs = result.NonDeliveries.Where(n => string.Equals(n.Recipient, who, StringComparison.OrdinalIgnoreCase)).ToList();
        var deferred = result.Deferrals.Any(d => d.Recipients.Contains(who, StringComparer.OrdinalIgnoreCase));
        var dropped = result.Dropped.Any(d => string.Equals(d.Address, who, StringComparison.OrdinalIgnoreCase));
        if (delivered.Count + ndrs.Count + (deferred ? 1 : 0) + (dropped ? 1 : 0) != 1)
        {
            return FaultOutcome.Undefined;
        }

        if (deferred)
        {
            return FaultOutcome.Deferred;
        }

        if (ndrs.Count == 1)
        {
            var ndr = ndrs[0];
            return ndr.EnhancedStatusCode == "5.7.0" ? FaultOutcome.NotSent
                : message.Class == MessageClass.Reject && ndr.EnhancedStatusCode == "5.7.950" ? FaultOutcome.AsPolicy
                : message.Class is MessageClass.Encrypt or MessageClass.SignAndEncrypt && ndr.EnhancedStatusCode == "5.7.1" ? FaultOutcome.Fallback
                : FaultOutcome.Undefined;
        }

        if (dropped)
        {
            return FaultOutcome.Undefined;
        }

        var copy = delivered[0];
        var text = Encoding.Latin1.GetString(copy.ReadAllBytes());
        var headers = SecurityKit.Headers(text);
        var enveloped = headers.Contains("application/pkcs7-mime", StringComparison.OrdinalIgnoreCase) && headers.Contains("enveloped-data", StringComparison.OrdinalIgnoreCase);
        var signed = headers.Contains("multipart/signed", StringComparison.OrdinalIgnoreCase) || headers.Contains("signed-data", StringComparison.OrdinalIgnoreCase);
        var plain = text.Contains(message.Marker, StringComparison.Ordinal) && !headers.Contains("pkcs7-mime", StringComparison.OrdinalIgnoreCase);
        var routed = copy.Recipient(who).RoutingOverride is { } route && route.RoutingDomain.Length > 0;
        return message.Class switch
        {
            MessageClass.Encrypt or MessageClass.SignAndEncrypt => enveloped && !text.Contains(message.Marker, StringComparison.Ordinal) ? FaultOutcome.AsPolicy : FaultOutcome.Undefined,
            MessageClass.Sign => signed ? FaultOutcome.AsPolicy : FaultOutcome.Undefined,
            MessageClass.Route => routed ? FaultOutcome.AsPolicy : FaultOutcome.Undefined,
            MessageClass.InboundDecrypt => plain ? FaultOutcome.AsPolicy : enveloped ? FaultOutcome.KeptCiphertext : FaultOutcome.Undefined,
            MessageClass.Pass => plain ? FaultOutcome.Unchanged : FaultOutcome.Undefined,
            _ => FaultOutcome.Undefined,
        };
    }
}
