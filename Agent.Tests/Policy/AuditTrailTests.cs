using System.Linq;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

public sealed class AuditTrailTests
{
    private static PolicyDecision Decide(string rules, params string[] recipients)
        => Evaluate(LoadValid(Document(rules)), Eml(), "alice@contoso.com", recipients);

    [Fact]
    public void AuditHeader_ListsRulesAndActions_ForTheCopyOnly()
    {
        var decision = Decide(
            Rule("Encrypt &quot;partner&quot;", 0, "<RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>", actions: "<EncryptSmime/><PrependSubject Text=\"[enc]\"/>")
            + Rule("Watch", 1, attributes: "Mode=\"Audit\"")
            + Rule("Internal", 2, "<SentToScope>InOrganization</SentToScope>", actions: "<SetHeader Name=\"X-Int\" Value=\"1\"/>"),
            "bob@fabrikam.com", "carol@contoso.com");

        var partnerCopy = AuditHeader.Format(decision, new[] { "bob@fabrikam.com" }, "0123456789abcdef0123");
        Assert.Equal("v=1; policy=0123456789ab; rules=\"Encrypt \\\"partner\\\"\"; actions=EncryptSmime PrependSubject", partnerCopy);

        var internalCopy = AuditHeader.Format(decision, new[] { "carol@contoso.com" });
        Assert.Equal("v=1; rules=\"Internal\"; actions=SetHeader", internalCopy);
    }

    [Fact]
    public void AuditHeader_AuditRulesLeaveNoTrace()
    {
        // An Audit rule changes nothing in the message: its name must not reach the copy, even when it is the only match.
        var decision = Decide(Rule("Watch partner mail", 0, "<RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>", actions: "<EncryptSmime/>", attributes: "Mode=\"Audit\""), "bob@fabrikam.com");
        Assert.Single(decision.Matches);
        Assert.Empty(decision.Recipients.SelectMany(r => r.Actions));
        var value = AuditHeader.Format(decision, new[] { "bob@fabrikam.com" }, "0123456789abcdef");
        Assert.Equal("v=1; policy=0123456789ab; rules=none", value);
        Assert.DoesNotContain("Watch", value);
    }

    [Fact]
    public void AuditHeader_NothingApplied_ErrorsAndDefer()
    {
        var none = AuditHeader.Format(new PolicyDecision(), new[] { "x@y.example" });
        Assert.Equal("v=1; rules=none", none);

        var deferred = new PolicyDecision
        {
            Errors = new[] { new RuleError { RuleName = "Slow rule", Message = "secret pattern details", Defers = true } },
            DeferMessage = true,
        };
        var value = AuditHeader.Format(deferred, new[] { "x@y.example" });
        Assert.Equal("v=1; rules=none; errors=\"Slow rule\"; defer=yes", value);
        Assert.DoesNotContain("pattern", value);
    }

    [Fact]
    public void AuditHeader_IsAsciiAndBounded()
    {
        var rules = string.Concat(Enumerable.Range(0, 60).Select(i => Rule($"Règle numéro {i} für Überprüfung", i)));
        var decision = Decide(rules, "bob@fabrikam.com");
        var value = AuditHeader.Format(decision, new[] { "bob@fabrikam.com" });
        Assert.True(value.Length <= AuditHeader.MaxLength, $"length {value.Length}");
        Assert.All(value, c => Assert.InRange(c, ' ', '~'));
        Assert.EndsWith("; truncated=yes", value);
        Assert.Contains("\"R%C3%A8gle num%C3%A9ro 0 f%C3%BCr %C3%9Cberpr%C3%BCfung\"", value);

        // Cut between items: every quote is closed.
        Assert.Equal(0, value.Count(c => c == '"') % 2);
    }

    [Fact]
    public void DecisionLog_UsesTheConfiguredLevel_AndLogsRuleErrors()
    {
        var policy = LoadValid(Document(Rule("R", 0), settings: "<DecisionLogLevel>Warning</DecisionLogLevel>"));
        var decision = Evaluate(policy, Eml());
        var withError = new PolicyDecision
        {
            Recipients = decision.Recipients,
            Matches = decision.Matches,
            Errors = new[] { new RuleError { RuleName = "Slow", Message = "timed out", Defers = true } },
            DeferMessage = true,
        };
        using var logging = AgentLogging.CreateInMemory(out var target);
        PolicyDecisionLog.Write(logging.Log, policy.Settings, withError, "<id@contoso.com>");
        logging.Factory.Flush();
        var logs = target.Logs.ToList();
        Assert.Equal(2, logs.Count);
        Assert.StartsWith("ERROR|1204|Message <id@contoso.com>: rule 'Slow': timed out", logs[0]);
        Assert.StartsWith("WARN|1202|Message <id@contoso.com>: rules matched: 'R' (Enforce); deferred", logs[1]);
        Assert.Contains("bob@fabrikam.com (external): SetHeader (R)", logs[1]);
        Assert.Equal(EventIds.PolicyDecisionDebug, PolicyDecisionLog.EventFor(AgentEventLevel.Debug));
        Assert.Equal(EventIds.PolicyDecisionInformation, PolicyDecisionLog.EventFor(AgentEventLevel.Information));
    }
}
