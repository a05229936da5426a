using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Tool.Simulation;

/// <summary>One delivered copy written to disk, with what the plan said about it.</summary>
internal sealed record WrittenCopy(string File, DeliveredCopy Delivered, string Protection, bool Decrypted);

/// <summary>Writes a run's copies (exact bytes) and plan.json, and describes the run for people (docs/cli.md).</summary>
internal static class PlanWriter
{
    private static readonly string[] InboundVerdictHeaders = { AgentHeaders.Decryption, AgentHeaders.Signature };

    /// <summary>Writes every delivered copy as <c>&lt;prefix&gt;&lt;n&gt;.eml</c> under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<WrittenCopy> WriteCopies(SimulatedRun run, string directory, string prefix = "")
    {
        Directory.CreateDirectory(directory);
        var written = new List<WrittenCopy>();
        var n = 0;
        foreach (var delivered in run.Result.Delivered)
        {
            var file = $"{prefix}{++n}.eml";
            delivered.MoveTo(Path.Combine(directory, file));
            var planned = run.PlannedFor(delivered);
            written.Add(new WrittenCopy(file, delivered, SimulatedRun.ProtectionName(planned), planned?.Protection == Processing.CopyProtection.Decrypted));
        }

        return written;
    }

    /// <summary>Writes the copies and returns plan.json's text.</summary>
    public static string Write(SimulatedRun run, string directory, string messageName)
    {
        var copies = WriteCopies(run, directory);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("message", messageName);
            if (run.Envelope is { } envelope)
            {
                json.WriteString("origin", envelope.Origin.ToString());
                json.WriteString("sender_scope", envelope.SenderIsInternal ? "InOrganization" : "NotInOrganization");
            }
            json.WriteStartArray("copies");
            foreach (var copy in copies)
            {
                WriteCopy(json, copy, run);
            }

            json.WriteEndArray();
            json.WriteStartArray("ndrs");
            foreach (var ndr in run.Result.NonDeliveries)
            {
                json.WriteStartObject();
                json.WriteString("recipient", ndr.Recipient);
                json.WriteString("statusCode", ndr.StatusCode);
                json.WriteString("enhancedStatusCode", ndr.EnhancedStatusCode);
                json.WriteString("text", ndr.StatusText);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("deferrals");
            foreach (var deferral in run.Result.Deferrals)
            {
                json.WriteStartObject();
                WriteStrings(json, "recipients", deferral.Recipients);
                json.WriteNumber("retryAfterSeconds", (long)deferral.WaitTime.TotalSeconds);
                json.WriteString("reason", deferral.Reason?.StatusText is { Length: > 0 } text ? string.Join(" ", text) : deferral.TrackingContext);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteStrings(json, "dropped", run.Result.Dropped.Select(d => $"{d.Address} ({d.Reason})"));
            json.WriteBoolean("healthy", run.Result.Healthy);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One line per copy, NDR and deferral: what the agent did to the message.</summary>
    public static string Describe(SimulatedRun run, string messageName, IReadOnlyList<WrittenCopy>? written = null)
    {
        var text = new StringBuilder();
        text.Append(messageName).AppendLine();
        var copies = written ?? run.Result.Delivered.Select((d, i) => new WrittenCopy($"{i + 1}.eml", d, SimulatedRun.ProtectionName(run.PlannedFor(d)), run.PlannedFor(d)?.Protection == Processing.CopyProtection.Decrypted)).ToList();
        foreach (var copy in copies)
        {
            var route = copy.Delivered.Recipients.Select(r => r.RoutingOverride?.RoutingDomain).FirstOrDefault(d => d is not null);
            var what = copy.Decrypted ? InboundVerdicts(copy.Delivered) : copy.Protection == "none" ? "unchanged" : copy.Protection;
            text.Append("  deliver  ").Append(string.Join(", ", copy.Delivered.RecipientAddresses)).Append(": ").Append(what)
                .Append(route is null ? string.Empty : " via forced TLS (" + route + ")")
                .Append("  -> ").Append(copy.File).AppendLine();
        }

        foreach (var ndr in run.Result.NonDeliveries)
        {
            text.Append("  reject   ").Append(ndr.Recipient).Append(": ").Append(ndr.StatusCode).Append(' ').Append(ndr.EnhancedStatusCode).Append(' ').Append(ndr.StatusText).AppendLine();
        }

        foreach (var deferral in run.Result.Deferrals)
        {
            text.Append("  defer    ").Append(string.Join(", ", deferral.Recipients)).Append(": retry in ").Append(deferral.WaitTime).AppendLine();
        }

        if (!run.Result.Healthy)
        {
            text.Append("  TRANSPORT PROBLEM: ").Append(run.Result).AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>What the inbound transform stamped (X-EEA-Decryption, X-EEA-Signature), read back from the copy.</summary>
    private static string InboundVerdicts(DeliveredCopy delivered)
    {
        using var stream = delivered.OpenRead();
        var headers = MimeKit.HeaderList.Load(stream);
        var verdicts = InboundVerdictHeaders
            .Where(name => headers.Contains(name))
            .Select(name => name.Substring(AgentHeaders.Prefix.Length).ToLowerInvariant() + " " + headers[name]!.Trim());
        return "inbound S/MIME checked (" + string.Join("; ", verdicts) + ")";
    }

    private static void WriteCopy(Utf8JsonWriter json, WrittenCopy copy, SimulatedRun run)
    {
        var planned = run.PlannedFor(copy.Delivered);
        json.WriteStartObject();
        json.WriteString("file", copy.File);
        WriteStrings(json, "recipients", copy.Delivered.RecipientAddresses);
        json.WriteString("protection", copy.Protection);
        json.WriteBoolean("decrypted", copy.Decrypted);
        var route = copy.Delivered.Recipients.Select(r => r.RoutingOverride).FirstOrDefault(o => o is not null);
        if (route is null)
        {
            json.WriteNull("routing");
        }
        else
        {
            json.WriteStartObject("routing");
            json.WriteString("routingDomain", route.RoutingDomain);
            json.WriteString("deliveryQueueDomain", route.DeliveryQueueDomain.ToString());
            json.WriteEndObject();
        }

        json.WriteStartArray("encryptedFor");
        foreach (var certificate in SimulatedRun.EncryptedFor(planned))
        {
            json.WriteStartObject();
            json.WriteString("subject", certificate.SubjectDN.ToString());
            json.WriteString("thumbprint", CertificateNames.Thumbprint(certificate));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "rules", planned?.RulesApplied ?? Array.Empty<string>());
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string?> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
