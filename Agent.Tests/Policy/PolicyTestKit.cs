using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>Builders for policies and messages in tests.</summary>
internal static class PolicyTestKit
{
    public const string Ns = PolicySchema.Namespace;

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A whole policy document around <paramref name="rules"/>.</summary>
    public static string Document(string rules, string settings = "<OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains>", string certificates = "")
        => $"<Policy xmlns=\"{Ns}\"><Settings>{settings}</Settings>{(certificates.Length > 0 ? "<Certificates>" + certificates + "</Certificates>" : string.Empty)}<Rules>{rules}</Rules></Policy>";

    /// <summary>Loads and asserts that loading succeeded.</summary>
    public static PolicySet LoadValid(string xml)
    {
        var result = PolicyLoader.LoadXml(xml);
        Assert.True(result.Succeeded, "policy failed to load:\n" + string.Join("\n", result.Errors));
        return result.Policy!;
    }

    /// <summary>Loads and returns the errors (asserting there are some).</summary>
    public static string[] LoadErrors(string xml)
    {
        var result = PolicyLoader.LoadXml(xml);
        Assert.False(result.Succeeded, "expected load errors");
        Assert.Null(result.Policy);
        return result.Errors.Select(e => e.ToString()).ToArray();
    }

    /// <summary>One rule with the given conditions (inner XML) and a SetHeader action.</summary>
    public static string Rule(string name, int priority, string conditions = "", string exceptions = "", string actions = "<SetHeader Name=\"X-Test\" Value=\"1\"/>", string attributes = "")
        => $"<Rule Name=\"{name}\" Priority=\"{priority}\" {attributes}>"
           + (conditions.Length > 0 ? $"<Conditions>{conditions}</Conditions>" : string.Empty)
           + (exceptions.Length > 0 ? $"<Exceptions>{exceptions}</Exceptions>" : string.Empty)
           + $"<Actions>{actions}</Actions></Rule>";

    public static string Values(params string[] values) => string.Concat(values.Select(v => $"<Value>{System.Security.SecurityElement.Escape(v)}</Value>"));

    /// <summary>A simple RFC 5322 message.</summary>
    public static string Eml(
        string subject = "Hello",
        string from = "alice@contoso.com",
        string to = "bob@fabrikam.com",
        string body = "Just a note.",
        string extraHeaders = "",
        string? contentType = "text/plain; charset=utf-8")
    {
        var builder = new StringBuilder();
        builder.Append("From: ").Append(from).Append("\r\n");
        builder.Append("To: ").Append(to).Append("\r\n");
        builder.Append("Subject: ").Append(subject).Append("\r\n");
        builder.Append("Date: Sun, 01 Jun 2025 12:00:00 +0000\r\n");
        builder.Append("Message-ID: <test@contoso.com>\r\n");
        builder.Append("MIME-Version: 1.0\r\n");
        builder.Append(extraHeaders);
        if (contentType is not null)
        {
            builder.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        builder.Append("\r\n").Append(body).Append("\r\n");
        return builder.ToString();
    }

    /// <summary>
    /// As `eea test` does by default: a MAIL FROM in contoso.com (the test policies' organisation) is a mailbox
    /// submission, anything else anonymous Internet mail.
    /// </summary>
    public static MessageContext Context(string eml, string mailFrom = "alice@contoso.com", params string[] recipients)
        => Context(Encoding.UTF8.GetBytes(eml), new MessageEnvelope(mailFrom, (recipients.Length == 0 ? new[] { "bob@fabrikam.com" } : recipients).Select(r => new EnvelopeRecipientInput(r)).ToArray(), OriginOf(mailFrom)));

    public static SubmissionOrigin OriginOf(string mailFrom)
        => mailFrom.EndsWith("@contoso.com", StringComparison.OrdinalIgnoreCase) || mailFrom.EndsWith(".contoso.com", StringComparison.OrdinalIgnoreCase)
            ? SubmissionOrigin.Mailbox
            : SubmissionOrigin.SmtpAnonymous;

    public static MessageContext Context(byte[] eml, MessageEnvelope envelope)
        => MessageContext.Create(envelope, new MemoryStream(eml, writable: false), leaveOpen: false);

    public static PolicyDecision Evaluate(PolicySet policy, string eml, string mailFrom = "alice@contoso.com", params string[] recipients)
    {
        using var context = Context(eml, mailFrom, recipients);
        return PolicyEvaluator.Evaluate(policy, context, Now);
    }

    /// <summary>Loads a one-rule policy and evaluates it.</summary>
    public static PolicyDecision EvaluateRule(string conditions, string eml, string exceptions = "", params string[] recipients)
        => Evaluate(LoadValid(Document(Rule("R", 0, conditions, exceptions))), eml, "alice@contoso.com", recipients);

    public static bool Matched(PolicyDecision decision, string rule = "R") => decision.Matches.Any(m => m.RuleName == rule);
}
