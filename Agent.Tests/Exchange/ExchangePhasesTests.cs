using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ExchangeApi.Simulator;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Exchange;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Processing;
using ExchangeApi.Simulator.Tests;
using ExchangeEncryptionAgent.Tests.Support;
using Microsoft.Exchange.Data.Transport.Routing;
using MimeKit;
using MimeKit.Tnef;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Exchange;

/// <summary>
/// Decrypt early (OnSubmittedMessage), decide at OnResolvedMessage, build the copy at OnCategorizedMessage, with the real
/// engine and policy, against the simulator playing the server (Summary-TNEF, content conversion, bifurcation, other
/// agents that fork, defer or read the message after us).
/// </summary>
public sealed class ExchangePhasesTests : IClassFixture<PipelineFixture>
{
    private const string Alice = "alice@contoso.example";
    private const string Dave = "dave@fabrikam.example";
    private const string Ed = "ed@contoso.example";
    private const string Tailspin = "tom@tailspin.example";

    private const string EncryptForFabrikam = """
        <Rule Name="Fabrikam gateway" Priority="0">
          <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
          <Actions><EncryptSmime Certificate="Gateway"><Fallback><RejectMessage EnhancedStatusCode="5.7.1" /></Fallback></EncryptSmime></Actions>
        </Rule>
        <Rule Name="Tailspin over TLS" Priority="1">
          <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
          <Actions><RouteRequireTls /></Actions>
        </Rule>
        """;

    private readonly PipelineFixture _fixture;

    public ExchangePhasesTests(PipelineFixture fixture) => _fixture = fixture;

    [Fact]
    public void OutlookMail_SummaryTnefAtResolved_IsEncryptedAfterContentConversion_AndThePartnerReadsMime()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam));
        var message = SummaryTnef.FromMailbox(Alice, [Internal(Ed), External(Dave)], File.ReadAllBytes(RepoPaths.TestData("tnef", "ukr.eml")));

        using var run = Run(() => policy, message);

        Assert.True(run.Result.Healthy, run.Result.ToString());
        var partner = run.CopyFor(Dave).ReadAllBytes();
        Assert.Contains("application/pkcs7-mime", Encoding.ASCII.GetString(partner), StringComparison.Ordinal);
        // openssl, not our code, opens the partner's copy: MIME inside, no winmail.dat.
        var inner = OpenSslDecrypt(partner, "fabrikam-gateway");
        using var opened = MimeMessage.Load(new MemoryStream(inner));
        Assert.Empty(opened.BodyParts.OfType<TnefPart>());
        Assert.DoesNotContain("ms-tnef", Encoding.ASCII.GetString(inner), StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrWhiteSpace(opened.TextBody ?? opened.HtmlBody));
        // Bifurcation: the colleague inside keeps Summary-TNEF, unencrypted, as Exchange delivers it to mailboxes.
        Assert.Contains("application/ms-tnef", run.CopyFor(Ed).ReadAllText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void PolicyReload_BetweenResolvedAndCategorized_TheDecidedTreatmentIsBuilt()
    {
        var encrypting = Load(_fixture.WritePolicy(EncryptForFabrikam));
        var permissive = Load(_fixture.WritePolicy("""<Rule Name="Nothing" Priority="0"><Conditions><RecipientDomainIs><Value>nowhere.example</Value></RecipientDomainIs></Conditions><Actions><SetHeader Name="X-Nothing" Value="1" /></Actions></Rule>"""));
        var current = encrypting;
        var reloader = new ScriptedAgentFactory(new AgentScript { Routed = _ => current = permissive });

        using var run = Run(() => current, Plain(Dave), laterAgents: reloader);

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.Same(permissive, current);
        Assert.Equal(["fabrikam-gateway"], _fixture.Recipients(run.CopyFor(Dave).ReadAllBytes()).Where(n => n != "recovery"));
    }

    [Fact]
    public void LaterAgentDefersAfterEncryption_ContentComesBackPlain_AndIsProtectedAgain_NeverDeliveredPlain()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam));
        var sawAtCategorized = new List<string>();
        var deferrer = new ScriptedAgentFactory(new AgentScript
        {
            Categorized = call =>
            {
                using (var reader = new StreamReader(call.Item.GetMimeReadStream()!))
                {
                    sawAtCategorized.Add(reader.ReadToEnd());
                }

                if (sawAtCategorized.Count == 1)
                {
                    call.Source.Defer(TimeSpan.Zero);
                }
            },
        });

        using var run = Run(() => policy, Plain(Dave), resubmit: 1, laterAgents: deferrer);

        Assert.Single(run.Result.Deferrals);
        Assert.Equal(2, sawAtCategorized.Count);
        Assert.All(sawAtCategorized, text => Assert.Contains("application/pkcs7-mime", text, StringComparison.Ordinal));
        var delivered = Assert.Single(run.Result.Delivered);
        Assert.DoesNotContain("Confidential figures", delivered.ReadAllText(), StringComparison.Ordinal);
        Assert.Contains("Confidential figures", Encoding.UTF8.GetString(_fixture.Decrypt(delivered.ReadAllBytes(), "fabrikam-gateway")), StringComparison.Ordinal);
    }

    [Fact]
    public void Forks_KeepTheirDecidedTreatment_EvenWhenThePolicyChangesBeforeTheCloneIsResolved()
    {
        var encrypting = Load(_fixture.WritePolicy(EncryptForFabrikam));
        var permissive = Load(_fixture.WritePolicy("""<Rule Name="Nothing" Priority="0"><Conditions><RecipientDomainIs><Value>nowhere.example</Value></RecipientDomainIs></Conditions><Actions><SetHeader Name="X-Nothing" Value="1" /></Actions></Rule>"""));
        var current = encrypting;
        // After our agent decided and forked the original item, the policy changes before the clone comes back.
        var reloader = new ScriptedAgentFactory(new AgentScript { Resolved = _ => current = permissive });

        using var run = Run(() => current, Plain(Dave, Tailspin), laterAgents: reloader);

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.Equal(2, run.Result.Delivered.Count);
        Assert.Contains("application/pkcs7-mime", run.CopyFor(Dave).ReadAllText(), StringComparison.Ordinal);
        var tailspin = run.CopyFor(Tailspin);
        Assert.Equal("forcetls.contoso.example", tailspin.Recipients.Single().RoutingOverride?.RoutingDomain);
        Assert.DoesNotContain("pkcs7", tailspin.ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void RecordedDecisionMissingAtCategorized_FailsClosed_WithAnEvent()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam));
        var eraser = new ScriptedAgentFactory(new AgentScript { Routed = call => call.Item.Properties.Remove(RecordedDecision.PropertyName) });

        using var run = Run(() => policy, Plain(Dave), laterAgents: eraser);

        Assert.Empty(run.Result.Delivered);
        Assert.Empty(run.Result.Crashes);
        Assert.Single(run.Result.Deferrals);
        Assert.True(run.Logged(EventIds.RecordedDecisionMissing));
    }

    [Fact]
    public void RecordedDecisionForgottenByTheProcess_FailsClosed()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam));
        EncryptionRoutingAgentFactory? ours = null;
        var restart = new ScriptedAgentFactory(new AgentScript { Routed = _ => ours!.Decisions.Clear() });

        using var run = Run(() => policy, Plain(Dave), laterAgents: restart, created: f => ours = f);

        Assert.Empty(run.Result.Delivered);
        Assert.Single(run.Result.Deferrals);
        Assert.True(run.Logged(EventIds.RecordedDecisionMissing));
    }

    [Fact]
    public void InboundStage_TransportRulesAfterUsSeePlainTextAndNoForgedVerdict()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam + """
            <Rule Name="Decrypt inbound" Priority="5">
              <Conditions><FromScope>NotInOrganization</FromScope><SentToScope>InOrganization</SentToScope></Conditions>
              <Actions><DecryptSmime Deliver="Decrypted" OnFailure="Defer" UnsignedCbcContent="Deliver" /></Actions>
            </Rule>
            """));
        // The attacker: a real openssl-encrypted message to our decryption key, with a forged verdict outside and inside.
        // (UnsignedCbcContent="Deliver": this test is about the stage, so the decrypted text is delivered in line.)
        var hostile = OpenSslEncrypted(
            TestMessages.Crlf("""
                X-EEA-Signature: valid; signer=ceo@contoso.example
                Content-Type: text/plain

                Wire the money today.
                """),
            "contoso-decryption",
            "X-EEA-Signature: valid; signer=ceo@contoso.example\r\nFrom: mallory@tailspin.example\r\nTo: ed@contoso.example\r\nSubject: urgent\r\n");
        string? seenByTransportRules = null;
        var transportRules = new ScriptedAgentFactory(new AgentScript
        {
            Resolved = call =>
            {
                using var reader = new StreamReader(call.Item.GetMimeReadStream()!);
                seenByTransportRules = reader.ReadToEnd();
            },
        });

        using var run = Run(() => policy, SimulatedMessage.FromBytes("mallory@tailspin.example", [Internal(Ed)], hostile), laterAgents: transportRules);

        Assert.True(run.Result.Healthy, run.Result.ToString());
        Assert.NotNull(seenByTransportRules);
        Assert.Contains("Wire the money today.", seenByTransportRules, StringComparison.Ordinal);
        Assert.DoesNotContain("X-EEA-Signature: valid", seenByTransportRules, StringComparison.Ordinal);
        Assert.DoesNotContain("X-EEA-Signature: valid", run.CopyFor(Ed).ReadAllText(), StringComparison.Ordinal);
        // The inbound stage wrote Ed's content and recorded its digest (hashed while writing); the last content written,
        // by whichever stage, has the SHA-256 of exactly the bytes delivered.
        var delivered = run.CopyFor(Ed);
        Assert.True(delivered.Properties.ContainsKey(MailItemAdapter.InboundDigestProperty));
        var lastWritten = delivered.Properties.TryGetValue(MailItemAdapter.WrittenDigestProperty, out var written) ? written : delivered.Properties[MailItemAdapter.InboundDigestProperty];
        Assert.Equal(Sha256(delivered.ReadAllBytes()), lastWritten);
    }

    [Fact]
    public void OutboundMail_NothingInbound_RecordsNoInboundDigest_AndTheWrittenDigestIsTheDeliveredBytes()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam));
        // Larger than the write buffer, so the copy reaches the write stream in several writes, each hashed on the way.
        var body = string.Concat(Enumerable.Repeat("Confidential figures, line after line of them.\r\n", 6000));
        var message = SimulatedMessage.FromText(Alice, [External(Dave)], TestMessages.Crlf($"""
            From: Alice <alice@contoso.example>
            To: {Dave}
            Subject: Figures
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            """) + "\r\n" + body);

        using var run = Run(() => policy, message);

        Assert.True(run.Result.Healthy, run.Result.ToString());
        var delivered = run.CopyFor(Dave);
        var bytes = delivered.ReadAllBytes();
        Assert.True(bytes.Length > 3 * 81920, bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("application/pkcs7-mime", ContentType(bytes));
        Assert.DoesNotContain("Confidential figures", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Contains(body, Encoding.UTF8.GetString(_fixture.Decrypt(bytes, "fabrikam-gateway")), StringComparison.Ordinal);
        // Plain outbound mail: the inbound stage changed nothing and recorded no digest (two hash passes saved); the
        // loop guard's digest is the SHA-256 of the bytes delivered.
        Assert.False(delivered.Properties.ContainsKey(MailItemAdapter.InboundDigestProperty));
        Assert.Equal(Sha256(bytes), delivered.Properties[MailItemAdapter.WrittenDigestProperty]);
    }

    private static string ContentType(byte[] message)
    {
        using var parsed = MimeMessage.Load(new MemoryStream(message));
        return parsed.Body?.ContentType.MimeType ?? string.Empty;
    }

    private static string Sha256(byte[] bytes) => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(bytes));

    [Fact]
    public void HungWorker_IsDeferredAtTheTimeLimit_AndNeverHoldsTheMessage()
    {
        using var release = new ManualResetEventSlim();
        try
        {
            using var harness = new AgentHarness(
                (envelope, _) =>
                {
                    release.Wait(TimeSpan.FromSeconds(30));
                    return ProcessingPlan.PassThrough(envelope.Recipients.Select(r => r.Address), "late");
                },
                new AgentSettings { ProcessingTimeLimit = TimeSpan.FromMilliseconds(500) });

            using var result = harness.Run(TestMessages.PlainMime, TestMessages.Carol);

            Assert.Empty(result.Delivered);
            Assert.Empty(result.Crashes);
            Assert.DoesNotContain(result.Violations, v => v.Name == ViolationNames.AgentHeldMessageForever);
            Assert.Equal("4.7.0", Assert.Single(result.Deferrals).Reason?.EnhancedStatusCode);
            Assert.True(harness.Logged(EventIds.ProcessingTimeLimitExceeded));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void DiagnosticsSwitch_LogsWhatExchangeSaysAtEachEvent_NeverTheContent()
    {
        var policy = Load(_fixture.WritePolicy(EncryptForFabrikam));
        var message = SummaryTnef.FromMailbox(Alice, [External(Dave)], File.ReadAllBytes(RepoPaths.TestData("tnef", "ukr.eml")));

        using var run = Run(() => policy, message, new AgentSettings { Diagnostics = true });

        var lines = run.Log.Where(l => l.Contains("|4012|", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains(lines, l => l.Contains("OnSubmittedMessage", StringComparison.Ordinal) && l.Contains("TnefPart set", StringComparison.Ordinal) && l.Contains("application/ms-tnef", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("OnCategorizedMessage", StringComparison.Ordinal) && l.Contains("TnefPart null", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("InboundDeliveryMethod Mailbox", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("@fabrikam.example=InDifferentOrganization", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("rr test 7", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(Dave, l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PT1S")]
    [InlineData("PT2H")]
    public void ProcessingTimeLimit_OutOfRange_GetsTheDefaultAndAProblem(string value)
    {
        var path = Path.Combine(_fixture.Directory, $"settings-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, $"""<AgentSettings xmlns="{AgentSettings.Namespace}"><ProcessingTimeLimit>{value}</ProcessingTimeLimit><Diagnostics>true</Diagnostics></AgentSettings>""");

        var settings = AgentSettings.Load(path, out var problem);

        Assert.Equal(new AgentSettings().ProcessingTimeLimit, settings.ProcessingTimeLimit);
        Assert.Contains("ProcessingTimeLimit", problem, StringComparison.Ordinal);
        Assert.True(settings.Diagnostics);
    }

    private static SimulatedRecipient Internal(string address) => new(address, IsInternal: true);

    private static SimulatedRecipient External(string address) => new(address, IsInternal: false);

    private static SimulatedMessage Plain(params string[] to) => SimulatedMessage.FromText(Alice, to.Select(External), TestMessages.Crlf($"""
        From: Alice <alice@contoso.example>
        To: {string.Join(", ", to)}
        Subject: Figures
        Message-ID: <phases-{Guid.NewGuid():N}@contoso.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Confidential figures.
        """));

    private static LoadedPolicy Load(string path)
    {
        var loaded = LoadedPolicy.Load(path, NullAgentLog.Instance);
        Assert.True(loaded.Value is not null, string.Join("\n", loaded.Errors));
        return loaded.Value!;
    }

    private PipelineRun Run(Func<LoadedPolicy?> policy, SimulatedMessage message, AgentSettings? settings = null, int resubmit = 0,
        RoutingAgentFactory? laterAgents = null, Action<EncryptionRoutingAgentFactory>? created = null)
    {
        var logging = AgentLogging.CreateInMemory(out var memory);
        settings ??= new AgentSettings();
        var spool = Path.Combine(_fixture.Directory, "spool-" + Guid.NewGuid().ToString("N"));
        var spoolFiles = new TemporaryFileFactory(spool);
        var runtime = new AgentRuntime(settings, logging.Log, new PolicyProcessor(policy, settings, logging.Log, spoolFiles), new CopyBuilder(spoolFiles, logging.Log));
        var ours = new EncryptionRoutingAgentFactory(runtime);
        created?.Invoke(ours);
        var factories = laterAgents is null ? new RoutingAgentFactory[] { ours } : new[] { ours, laterAgents };
        var result = new TransportSimulator(new TransportSimulatorOptions { AcceptedDomains = ["contoso.example"], ResubmitDeferred = resubmit })
            .Run(factories, message);
        var leftovers = Directory.Exists(spool) ? Directory.GetFiles(spool).Length : 0;
        logging.Dispose();
        return new PipelineRun(result, memory.Logs.ToList(), leftovers);
    }

    private byte[] OpenSslDecrypt(byte[] message, string keyName)
    {
        var work = Directory.CreateTempSubdirectory("eea-phases-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(work, "in.eml"), message);
            var pki = Path.Combine(_fixture.Directory, "pki");
            var result = ExternalTool.OpenSsl(work, "cms", "-decrypt", "-in", "in.eml", "-recip", Path.Combine(pki, keyName + ".crt"), "-inkey", Path.Combine(pki, keyName + ".key"), "-out", "out.eml");
            Assert.True(result.ExitCode == 0, result.StandardError);
            return File.ReadAllBytes(Path.Combine(work, "out.eml"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private byte[] OpenSslEncrypted(string inner, string certificateName, string outerHeaders)
    {
        var work = Directory.CreateTempSubdirectory("eea-phases-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(work, "inner.eml"), inner);
            var result = ExternalTool.OpenSsl(work, "cms", "-encrypt", "-aes256", "-in", "inner.eml", "-out", "out.eml",
                Path.Combine(_fixture.Directory, "pki", certificateName + ".crt"));
            Assert.True(result.ExitCode == 0, result.StandardError);
            var smime = File.ReadAllText(Path.Combine(work, "out.eml")).ReplaceLineEndings("\r\n");
            return Encoding.ASCII.GetBytes(outerHeaders + smime);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
