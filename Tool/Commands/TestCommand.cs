using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Processing;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>
/// `eea test`: what would the policy do with this message? Prints the decision as JSON (docs/cli.md). Exit 0 when
/// evaluation completed (a malformed message is a result), 1 for an invalid policy or an unreadable message, 2 for
/// bad usage.
/// </summary>
internal sealed class TestCommand : ICommand
{
    private const string Usage =
        "usage: eea test --policy FILE [--mail-from ADDR] [--rcpt ADDR]... [--origin " + OriginOption.Values + "] [--now ISO-8601] MESSAGE.eml";

    public string Name => "test";

    public string Summary => "What-if: evaluate a policy against a message and print the decision as JSON.";

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            stderr.WriteLine("eea test: " + problem);
            stderr.WriteLine(Usage);
            return Program.ExitUsage;
        }

        var load = PolicyLoader.LoadFile(options.PolicyPath!);
        if (load.Policy is not { } policy)
        {
            foreach (var error in load.Errors)
            {
                stderr.WriteLine(error.ToString());
            }

            return Program.ExitInvalidInput;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(options.MessagePath!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"eea test: cannot read {options.MessagePath}: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        IReadOnlyList<string> recipients = options.Recipients.Count > 0 ? options.Recipients : HeaderRecipients(bytes);
        if (!OriginOption.TryResolve(options.Origin, options.MailFrom, policy.Settings.OrganizationDomains, out var origin))
        {
            stderr.WriteLine($"eea test: --origin takes {OriginOption.Values}");
            stderr.WriteLine(Usage);
            return Program.ExitUsage;
        }

        var envelope = new MessageEnvelope(options.MailFrom, recipients.Select(r => new EnvelopeRecipientInput(r)).ToArray(), origin);
        using var context = MessageContext.Create(envelope, new MemoryStream(bytes, writable: false), leaveOpen: false);
        var decision = PolicyEvaluator.Evaluate(policy, context, options.Now);
        DecisionJson.Write(stdout, policy, context, decision, options.MessagePath!, options.Now);
        return Program.ExitOk;
    }

    /// <summary>Without --rcpt, the recipients are the addresses of the To, Cc and Bcc headers.</summary>
    private static string[] HeaderRecipients(byte[] bytes)
    {
        using var probe = MessageContext.Create(new MessageEnvelope(string.Empty, Array.Empty<EnvelopeRecipientInput>()), new MemoryStream(bytes, writable: false));
        var message = probe.Message;
        if (message is null)
        {
            return Array.Empty<string>();
        }

        return message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes)
            .Select(m => m.Address)
            .Where(a => !string.IsNullOrEmpty(a))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    private static bool TryParse(IReadOnlyList<string> args, out TestOptions options, out string problem)
    {
        options = new TestOptions();
        problem = string.Empty;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count)
                {
                    problem = $"{arg} needs a value";
                    return false;
                }

                var value = args[++i];
                switch (arg)
                {
                    case "--policy":
                        options.PolicyPath = value;
                        break;
                    case "--mail-from":
                        options.MailFrom = value;
                        break;
                    case "--rcpt":
                        options.Recipients.Add(value);
                        break;
                    case OriginOption.Name:
                        options.Origin = value;
                        break;
                    case "--now":
                        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now))
                        {
                            problem = "--now takes an ISO 8601 date and time";
                            return false;
                        }

                        options.Now = now;
                        break;
                    default:
                        problem = $"unknown option {arg}";
                        return false;
                }
            }
            else if (options.MessagePath is null)
            {
                options.MessagePath = arg;
            }
            else
            {
                problem = "only one message file may be given";
                return false;
            }
        }

        if (options.PolicyPath is null)
        {
            problem = "--policy is required";
            return false;
        }

        if (options.MessagePath is null)
        {
            problem = "the message file is missing";
            return false;
        }

        return true;
    }

    private sealed class TestOptions
    {
        public string? PolicyPath { get; set; }

        public string? MessagePath { get; set; }

        public string MailFrom { get; set; } = string.Empty;

        public List<string> Recipients { get; } = new();

        public string? Origin { get; set; }

        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    }
}

/// <summary>The JSON document `eea test` prints (shape in docs/cli.md).</summary>
internal static class DecisionJson
{
    public static void Write(TextWriter output, PolicySet policy, MessageContext message, PolicyDecision decision, string messagePath, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("policy");
            json.WriteString("path", policy.SourcePath);
            json.WriteString("sha256", policy.Sha256);
            json.WriteNumber("rules", policy.Rules.Count);
            json.WriteEndObject();

            json.WriteStartObject("message");
            json.WriteString("path", messagePath);
            json.WriteNumber("size", message.Size);
            json.WriteBoolean("parseFailed", message.ParseFailed);
            WriteNullable(json, "parseError", message.ParseError);
            json.WriteString("subject", message.Subject);
            WriteNullable(json, "from", message.FromAddress);
            json.WriteStartArray("types");
            foreach (var type in Enum.GetValues<MessageTypes>().Where(t => t != MessageTypes.None && message.Types.HasFlag(t)))
            {
                json.WriteStringValue(type.ToString());
            }

            json.WriteEndArray();
            json.WriteNumber("attachments", message.Attachments.Count);
            json.WriteBoolean("tnef", message.ContainsTnef);
            WriteNullable(json, "unreadableContent", message.UnreadableContent);
            json.WriteEndObject();

            json.WriteStartObject("envelope");
            json.WriteString("mailFrom", message.Envelope.MailFrom);
            json.WriteString("origin", message.Envelope.Origin.ToString());
            json.WriteEndObject();
            json.WriteString("sender_scope", OriginOption.SenderScope(message.Envelope));
            json.WriteString("evaluatedAt", now.ToString("o", CultureInfo.InvariantCulture));
            WriteStrings(json, "strictnessOrder", TreatmentStrictness.Order);

            json.WriteStartArray("matches");
            foreach (var match in decision.Matches)
            {
                json.WriteStartObject();
                json.WriteString("rule", match.RuleName);
                json.WriteString("mode", match.Mode.ToString());
                WriteStrings(json, "recipients", match.Recipients);
                json.WriteStartArray("conditions");
                foreach (var condition in match.Conditions)
                {
                    json.WriteStartObject();
                    json.WriteString("condition", condition.Condition);
                    json.WriteString("value", condition.MatchedValue);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("recipients");
            foreach (var recipient in decision.Recipients)
            {
                json.WriteStartObject();
                json.WriteString("address", recipient.Address);
                json.WriteBoolean("internal", recipient.IsInternal);
                json.WriteStartArray("actions");
                foreach (var action in recipient.Actions)
                {
                    WriteAction(json, action, policy.Settings);
                }

                json.WriteEndArray();
                json.WriteString("treatment", TreatmentStrictness.Demanded(recipient.Actions));
                json.WriteString("auditHeader", AuditHeader.Format(decision, new[] { recipient.Address }, policy.Sha256));
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("errors");
            foreach (var error in decision.Errors)
            {
                json.WriteStartObject();
                json.WriteString("rule", error.RuleName);
                json.WriteString("message", error.Message);
                json.WriteBoolean("defers", error.Defers);
                json.WriteBoolean("appliedProtectively", error.AppliedProtectively);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("deferMessage", decision.DeferMessage);
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteAction(Utf8JsonWriter json, PolicyAction action, PolicySettings settings)
    {
        json.WriteStartObject();
        json.WriteString("type", AuditHeader.ActionName(action));
        json.WriteString("rule", action.RuleName);
        switch (action)
        {
            case EncryptSmimeAction encrypt:
                json.WriteString("certificate", encrypt.Certificate.ToString());
                json.WriteString("minimumTrust", encrypt.MinimumTrust.ToString());
                WriteNullable(json, "contentEncryption", encrypt.ContentEncryption?.ToString());
                WriteNullable(json, "keyTransport", encrypt.KeyTransport?.ToString());
                json.WriteBoolean("headerProtection", encrypt.HeaderProtection);
                json.WriteString("subjectPlaceholder", encrypt.SubjectPlaceholder);
                json.WriteBoolean("evenIfAlreadyEncrypted", encrypt.EvenIfAlreadyEncrypted);
                WriteFallback(json, encrypt.Fallback, settings);
                break;
            case SignSmimeAction sign:
                json.WriteString("signer", sign.Signer.ToString());
                WriteNullable(json, "organizationKey", sign.OrganizationKey);
                json.WriteString("format", sign.Format.ToString());
                json.WriteString("digest", sign.Digest.ToString());
                json.WriteString("padding", sign.Padding.ToString());
                WriteFallback(json, sign.Fallback, settings);
                break;
            case DecryptSmimeAction decrypt:
                json.WriteString("deliver", decrypt.Deliver.ToString());
                json.WriteString("onFailure", decrypt.OnFailure.ToString());
                break;
            case VerifySmimeAction verify:
                WriteNullable(json, "validSubjectTag", verify.ValidSubjectTag);
                WriteNullable(json, "invalidSubjectTag", verify.InvalidSubjectTag);
                break;
            case RouteRequireTlsAction:
                WriteNullable(json, "addressSpace", settings.ForcedTls?.AddressSpace);
                break;
            case SetHeaderAction setHeader:
                json.WriteString("name", setHeader.Name);
                json.WriteString("value", setHeader.Value);
                break;
            case RemoveHeaderAction removeHeader:
                json.WriteString("name", removeHeader.Name);
                break;
            case PrependSubjectAction prepend:
                json.WriteString("text", prepend.Text);
                break;
            case RejectMessageAction reject:
                json.WriteString("enhancedStatusCode", reject.EnhancedStatusCode);
                json.WriteString("reason", reject.Reason);
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteFallback(Utf8JsonWriter json, FallbackChain chain, PolicySettings settings)
    {
        json.WriteStartArray("fallback");
        foreach (var step in chain.Steps)
        {
            json.WriteStartObject();
            switch (step)
            {
                case RouteRequireTlsFallback:
                    json.WriteString("type", "RouteRequireTls");
                    WriteNullable(json, "addressSpace", settings.ForcedTls?.AddressSpace);
                    break;
                case RejectFallback reject:
                    json.WriteString("type", "RejectMessage");
                    json.WriteString("enhancedStatusCode", reject.EnhancedStatusCode);
                    WriteNullable(json, "reason", reject.Reason);
                    break;
                case DeferFallback defer:
                    json.WriteString("type", "DeferMessage");
                    json.WriteString("retryAfter", XmlConvert.ToString(defer.RetryAfter));
                    break;
                case DeliverInPlainTextInsecureFallback:
                    json.WriteString("type", "DeliverInPlainTextInsecure");
                    break;
                case DeliverUnsignedFallback:
                    json.WriteString("type", "DeliverUnsigned");
                    break;
                default:
                    json.WriteString("type", step.GetType().Name);
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
