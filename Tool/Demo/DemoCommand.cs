using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Tool.Commands;
using ExchangeEncryptionAgent.Tool.Simulation;

namespace ExchangeEncryptionAgent.Tool.Demo;

/// <summary>
/// `eea demo [--out DIR]`: the agent on sample mail. Generates a demo PKI, runs the bundled samples through the
/// simulated Exchange pipeline with the demo policy, prints what the agent did to each, and writes every copy,
/// the policy, the PKI and manifest.json (docs/cli.md) so anyone can check each output with openssl.
/// </summary>
internal sealed class DemoCommand : ICommand
{
    private const string Usage = "usage: eea demo [--out DIR]";
    private static readonly string[] Options = { "--out" };

    /// <summary>The bundled samples and their SMTP envelopes.</summary>
    private static readonly DemoSample[] Samples =
    {
        new("partner-report.eml", "alice@contoso.example", "dave@fabrikam.example", "bob@northwind.example", "carol@northwind.example", "ed@contoso.example"),
        new("confidential-no-certificate.eml", "alice@contoso.example", "frank@tailspin.example"),
        new("top-secret.eml", "alice@contoso.example", "dave@fabrikam.example"),
        new("newsletter.eml", "alice@contoso.example", "grace@tailspin.example"),
        new("blind-copy.eml", "alice@contoso.example", "bob@northwind.example", "ivy@northwind.example"),
        new("inbound-reply.eml", "dave@fabrikam.example", "alice@contoso.example"),
        new("forged-verdict.eml", "mallory@tailspin.example", "alice@contoso.example"),
    };

    public string Name => "demo";

    public string Summary => "Run the agent on bundled sample mail with a demo policy and PKI; write the results.";

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse(args, Options, out var problem);
        if (line is null || line.Positional.Count > 0)
        {
            stderr.WriteLine("eea demo: " + (problem ?? "unexpected argument " + line!.Positional[0]));
            stderr.WriteLine(Usage);
            return Program.ExitUsage;
        }

        var output = Path.GetFullPath(line.Single("--out") ?? "demo-out");
        Directory.CreateDirectory(output);
        stdout.WriteLine($"ExchangeEncryptionAgent demo: writing to {output}");
        var pki = DemoPki.Create(Path.Combine(output, "pki"));
        var policyPath = Path.Combine(output, "policy.xml");
        File.WriteAllBytes(policyPath, Resource("demo-policy.xml"));
        var inputs = WriteInputs(Path.Combine(output, "input"), pki);

        using var logging = AgentLogging.CreateInMemory(out var memory, AgentEventLevel.Information);
        var loaded = LoadedPolicy.Load(policyPath, logging.Log);
        if (loaded.Value is not { } policy)
        {
            stderr.WriteLine("eea demo: the demo policy did not load:");
            foreach (var error in loaded.Errors)
            {
                stderr.WriteLine(error);
            }

            return Program.ExitInvalidInput;
        }

        var spool = Path.Combine(output, "spool");
        var manifest = new DemoManifest(pki);
        using (var runtime = AgentRuntimeFactory.CreateForPolicy(policy, new AgentSettings(), logging.Log, spool))
        {
            using var exchange = new SimulatedExchange(runtime, policy.Policy.Settings.OrganizationDomains);
            foreach (var sample in Samples)
            {
                var input = Path.Combine(inputs, sample.File);
                using var run = exchange.Run(sample.MailFrom, sample.Recipients, input);
                var folder = Path.GetFileNameWithoutExtension(sample.File);
                var written = PlanWriter.WriteCopies(run, Path.Combine(output, folder));
                stdout.WriteLine();
                stdout.WriteLine(PlanWriter.Describe(run, $"{sample.File}  (from {sample.MailFrom})", written.Select(w => w with { File = folder + "/" + w.File }).ToList()));
                manifest.Add(folder, written, run);
            }
        }

        // The runtime's spool keeps small messages in memory: the folder exists only if a sample outgrew that.
        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }

        File.WriteAllText(Path.Combine(output, "events.log"), string.Join(Environment.NewLine, memory.Logs) + Environment.NewLine);
        File.WriteAllText(Path.Combine(output, "manifest.json"), manifest.ToJson());
        stdout.WriteLine();
        stdout.WriteLine($"Policy: {policyPath}");
        stdout.WriteLine($"Events the agent logged: {Path.Combine(output, "events.log")}");
        stdout.WriteLine($"Manifest: {Path.Combine(output, "manifest.json")}");
        stdout.WriteLine("Check an encrypted copy, e.g.:");
        stdout.WriteLine($"  openssl cms -decrypt -inform SMIME -in {output}/partner-report/1.eml -recip {output}/pki/fabrikam-gateway.crt -inkey {output}/pki/fabrikam-gateway.key");
        return Program.ExitOk;
    }

    /// <summary>
    /// Writes the samples to DIR/input. The inbound sample is made here: Dave at Fabrikam signs his reply and encrypts
    /// it to Contoso's gateway certificate, as a partner gateway would.
    /// </summary>
    private static string WriteInputs(string directory, DemoPki pki)
    {
        Directory.CreateDirectory(directory);
        foreach (var sample in Samples.Where(s => s.File != "inbound-reply.eml"))
        {
            File.WriteAllBytes(Path.Combine(directory, sample.File), Resource("Samples/" + sample.File));
        }

        var dave = pki["dave"];
        var signer = new PrivateKeyEntry("dave", dave.Certificate, dave.KeyPair.Private, new[] { pki["ca"].Certificate });
        // Signed, then encrypted to the organisation: the reply a partner would send. Small enough for memory.
        using (var plain = new MemoryStream(Resource("Samples/inbound-reply.plain.eml")))
        using (var signed = new MemoryStream())
        using (var file = File.Create(Path.Combine(directory, "inbound-reply.eml")))
        {
            new SmimeSignTransform(signer, SignatureFormat.Clear, SignatureDigest.Sha256, SignaturePadding.Pkcs1).Apply(plain, signed, CancellationToken.None);
            signed.Position = 0;
            new SmimeEncryptTransform(new[] { pki["contoso-decryption"].Certificate }).Apply(signed, file, CancellationToken.None);
        }

        return directory;
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("Demo/" + name)
            ?? throw new InvalidOperationException("missing demo resource " + name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record DemoSample(string File, string MailFrom, params string[] Recipients);

    /// <summary>manifest.json: every output, how it is protected, and which demo key opens it.</summary>
    private sealed class DemoManifest
    {
        private readonly DemoPki _pki;
        private readonly List<Action<Utf8JsonWriter>> _outputs = new();
        private readonly List<Action<Utf8JsonWriter>> _rejections = new();

        public DemoManifest(DemoPki pki) => _pki = pki;

        public void Add(string folder, IReadOnlyList<WrittenCopy> written, SimulatedRun run)
        {
            foreach (var copy in written)
            {
                var planned = run.PlannedFor(copy.Delivered);
                var keys = SimulatedRun.EncryptedFor(planned).Select(_pki.NameOf).Where(n => n is not null).ToList();
                var route = copy.Delivered.Recipients.Select(r => r.RoutingOverride?.RoutingDomain).FirstOrDefault(d => d is not null);
                _outputs.Add(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("file", folder + "/" + copy.File);
                    json.WriteString("message", "input/" + folder + ".eml");
                    WriteStrings(json, "recipients", copy.Delivered.RecipientAddresses);
                    json.WriteString("protection", copy.Protection);
                    json.WriteBoolean("decrypted", copy.Decrypted);
                    json.WriteStartArray("decrypt_with");
                    foreach (var key in keys)
                    {
                        json.WriteStartObject();
                        json.WriteString("cert", $"pki/{key}.crt");
                        json.WriteString("key", $"pki/{key}.key");
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteString("verify_with", copy.Protection.Contains("signed", StringComparison.Ordinal) ? "pki/ca.crt" : null);
                    json.WriteString("forced_tls_routing", route);
                    json.WriteEndObject();
                });
            }

            foreach (var ndr in run.Result.NonDeliveries)
            {
                _rejections.Add(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("message", "input/" + folder + ".eml");
                    json.WriteString("recipient", ndr.Recipient);
                    json.WriteString("status", $"{ndr.StatusCode} {ndr.EnhancedStatusCode}");
                    json.WriteString("text", ndr.StatusText);
                    json.WriteEndObject();
                });
            }
        }

        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("policy", "policy.xml");
                json.WriteString("ca", "pki/ca.crt");
                json.WriteStartArray("outputs");
                _outputs.ForEach(write => write(json));
                json.WriteEndArray();
                json.WriteStartArray("rejections");
                _rejections.ForEach(write => write(json));
                json.WriteEndArray();
                json.WriteStartObject("inbound");
                json.WriteString("decryption_cert", "pki/contoso-decryption.crt");
                json.WriteString("internal_recipient", "alice@contoso.example");
                json.WriteString("external_sender", "dave@fabrikam.example");
                json.WriteString("sender_cert", "pki/dave.crt");
                json.WriteString("sender_key", "pki/dave.key");
                json.WriteEndObject();
                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
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
    }
}
