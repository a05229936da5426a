using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>
/// The inbound stage (OnSubmittedMessage) of a policy without inbound actions skips the parse and the evaluation:
/// only when there is truly nothing for it to do. A forged verdict header from outside, or a rule that decrypts or
/// verifies, still gets the full inbound plan.
/// </summary>
public sealed class InboundStageShortcutTests : IClassFixture<PipelineFixture>
{
    private const string SignOnly = """
        <Rule Name="Sign outbound" Priority="0">
          <Conditions><SentToScope>NotInOrganization</SentToScope></Conditions>
          <Actions><SignSmime /></Actions>
        </Rule>
        """;

    private const string Verify = """
        <Rule Name="Verify inbound" Priority="0">
          <Conditions><SentToScope>InOrganization</SentToScope></Conditions>
          <Actions><VerifySmime /></Actions>
        </Rule>
        """;

    private const string Plain = "From: alice@contoso.example\r\nTo: carol@contoso.example\r\nSubject: hello\r\n\r\nHello.\r\n";

    private const string ForgedFromOutside = "From: mallory@evil.example\r\nTo: carol@contoso.example\r\nSubject: hello\r\nX-EEA-Signature: valid; signer=ceo@contoso.example\r\n\r\nHello.\r\n";

    private readonly PipelineFixture _fixture;

    public InboundStageShortcutTests(PipelineFixture fixture) => _fixture = fixture;

    [Fact]
    public void NoInboundRule_PlainMessage_InboundStageReturnsAtOnce_Unchanged()
    {
        var plan = PlanInbound(SignOnly, Plain, "alice@contoso.example");

        Assert.True(plan.IsPassThrough);
        Assert.Contains("no rule decrypts or verifies", plan.Summary, System.StringComparison.Ordinal);
    }

    [Fact]
    public void NoInboundRule_ForgedVerdictFromOutside_IsStillStrippedAtTheInboundStage()
    {
        var plan = PlanInbound(SignOnly, ForgedFromOutside, "mallory@evil.example");

        Assert.DoesNotContain("no rule decrypts or verifies", plan.Summary, System.StringComparison.Ordinal);
        Assert.All(plan.Copies, copy => Assert.True(copy.Instructions.StripForeignHeaders));
    }

    [Fact]
    public void VerifyingRule_InboundStageEvaluatesTheMessage()
    {
        var plan = PlanInbound(Verify, Plain, "alice@contoso.example");

        Assert.DoesNotContain("no rule decrypts or verifies", plan.Summary, System.StringComparison.Ordinal);
        Assert.Contains(plan.Copies, copy => copy.Instructions.Inbound is not null);
    }

    private ProcessingPlan PlanInbound(string rules, string mime, string mailFrom)
    {
        using var logging = AgentLogging.CreateInMemory(out _);
        var loaded = LoadedPolicy.Load(_fixture.WritePolicy(rules), logging.Log);
        Assert.True(loaded.Value is not null, string.Join("\n", loaded.Errors));
        var processor = new PolicyProcessor(() => loaded.Value, new AgentSettings(), logging.Log, TemporaryFileFactory.InMemory);
        var envelope = new MessageEnvelope(mailFrom, new[] { new EnvelopeRecipientInput("carol@contoso.example") });
        using var content = new MemoryStream(Encoding.ASCII.GetBytes(mime), writable: false);
        return processor.Plan(envelope, content, System.DateTime.UtcNow, PlanningStage.Inbound, default);
    }
}
