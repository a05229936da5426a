using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    private const string ToFabrikam = "<RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>";
    private const string SubjectSecret = "<SubjectContainsWords><Value>secret</Value></SubjectContainsWords>";

    private static string Header(string name, string value = "1") => $"<SetHeader Name=\"{name}\" Value=\"{value}\"/>";

    private static string[] ActionHeaders(PolicyDecision decision, string recipient)
        => decision.Recipients.Single(r => r.Address == recipient).Actions.OfType<SetHeaderAction>().Select(a => a.Name).ToArray();

    [Fact]
    public void Conditions_AreAnded()
    {
        var policy = LoadValid(Document(Rule("R", 0, ToFabrikam + SubjectSecret)));
        Assert.Single(Evaluate(policy, Eml(subject: "a secret")).Matches);
        Assert.Empty(Evaluate(policy, Eml(subject: "a memo")).Matches);
        Assert.Empty(Evaluate(policy, Eml(subject: "a secret"), "alice@contoso.com", "carol@contoso.com").Matches);
    }

    [Fact]
    public void ValuesInsideACondition_AreOred()
    {
        var policy = LoadValid(Document(Rule("R", 0, $"<SubjectContainsWords>{Values("alpha", "beta")}</SubjectContainsWords>")));
        Assert.Equal("beta", Evaluate(policy, Eml(subject: "only beta here")).Matches.Single().Conditions.Single().MatchedValue);
        Assert.Empty(Evaluate(policy, Eml(subject: "gamma")).Matches);
    }

    [Fact]
    public void AnyException_SuppressesTheRule()
    {
        var exceptions = "<ExceptIfSubjectContainsWords><Value>public</Value></ExceptIfSubjectContainsWords><ExceptIfFrom><Value>ceo@contoso.com</Value></ExceptIfFrom>";
        var policy = LoadValid(Document(Rule("R", 0, ToFabrikam, exceptions)));
        Assert.Single(Evaluate(policy, Eml(subject: "x")).Matches);
        Assert.Empty(Evaluate(policy, Eml(subject: "public x")).Matches);
        Assert.Empty(Evaluate(policy, Eml(from: "ceo@contoso.com")).Matches);
    }

    [Fact]
    public void RuleWithoutConditions_AppliesToEveryRecipient()
    {
        var decision = Evaluate(LoadValid(Document(Rule("R", 0))), Eml(), "alice@contoso.com", "bob@fabrikam.com", "carol@contoso.com");
        Assert.All(decision.Recipients, r => Assert.Single(r.Actions));
    }

    [Fact]
    public void RecipientConditions_SelectRecipients_AndActionsApplyOnlyToThem()
    {
        var policy = LoadValid(Document(Rule("R", 0, ToFabrikam + SubjectSecret)));
        var decision = Evaluate(policy, Eml(subject: "secret"), "alice@contoso.com", "bob@fabrikam.com", "carol@contoso.com", "dave@eu.fabrikam.com");
        var match = Assert.Single(decision.Matches);
        Assert.Equal(new[] { "bob@fabrikam.com", "dave@eu.fabrikam.com" }, match.Recipients);
        Assert.Equal(new[] { "bob@fabrikam.com", "carol@contoso.com", "dave@eu.fabrikam.com" }, decision.Recipients.Select(r => r.Address));
        Assert.Single(decision.Recipients[0].Actions);
        Assert.Empty(decision.Recipients[1].Actions);
        Assert.Single(decision.Recipients[2].Actions);
        Assert.Equal("fabrikam.com, eu.fabrikam.com", match.Conditions.Single(c => c.Condition == "RecipientDomainIs").MatchedValue);
        Assert.Equal("secret", match.Conditions.Single(c => c.Condition == "SubjectContainsWords").MatchedValue);
    }

    [Fact]
    public void RecipientException_RemovesOnlyThatRecipient()
    {
        var policy = LoadValid(Document(Rule("R", 0, ToFabrikam, "<ExceptIfSentTo><Value>ceo@fabrikam.com</Value></ExceptIfSentTo>")));
        var decision = Evaluate(policy, Eml(), "alice@contoso.com", "bob@fabrikam.com", "ceo@fabrikam.com");
        Assert.Equal(new[] { "bob@fabrikam.com" }, decision.Matches.Single().Recipients);
        Assert.Empty(decision.Recipients[1].Actions);
    }

    [Fact]
    public void AuditRule_IsReported_ButPlansNothing()
    {
        var policy = LoadValid(Document(Rule("Watch", 0, ToFabrikam, attributes: "Mode=\"Audit\" StopRuleProcessing=\"true\"") + Rule("Act", 1, ToFabrikam)));
        var decision = Evaluate(policy, Eml());
        Assert.Equal(new[] { ("Watch", RuleMode.Audit), ("Act", RuleMode.Enforce) }, decision.Matches.Select(m => (m.RuleName, m.Mode)));

        // Only the Enforce rule's action; the Audit rule's StopRuleProcessing changed nothing either.
        Assert.Equal("Act", Assert.Single(decision.Recipients[0].Actions).RuleName);
    }

    [Theory]
    [InlineData("Enabled=\"false\"", false)]
    [InlineData("ActivationDate=\"2025-07-01Z\"", false)]
    [InlineData("ExpiryDate=\"2025-06-01T12:00:00Z\"", false)]
    [InlineData("ExpiryDate=\"2025-06-01T12:00:01Z\"", true)]
    [InlineData("ActivationDate=\"2025-06-01T12:00:00Z\" ExpiryDate=\"2025-12-31T00:00:00Z\"", true)]
    [InlineData("ActivationDate=\"2025-06-01T14:00:00+02:00\"", true)]
    public void DisabledNotYetActiveAndExpiredRules_AreSkipped(string attributes, bool applies)
    {
        var decision = Evaluate(LoadValid(Document(Rule("R", 0, attributes: attributes))), Eml());
        Assert.Equal(applies, decision.Matches.Count == 1);
    }

    [Fact]
    public void Actions_FollowPriority_NotFileOrder()
    {
        var policy = LoadValid(Document(Rule("Late", 20, actions: Header("X-Late")) + Rule("Early", 3, actions: Header("X-Early"))));
        Assert.Equal(new[] { "X-Early", "X-Late" }, ActionHeaders(Evaluate(policy, Eml()), "bob@fabrikam.com"));
    }

    [Fact]
    public void StopRuleProcessing_StopsLaterRules_OnlyForTheSelectedRecipients()
    {
        var policy = LoadValid(Document(
            Rule("Partner", 0, ToFabrikam, actions: Header("X-Partner") + "<StopRuleProcessing/>")
            + Rule("Everyone", 1, actions: Header("X-Everyone"))));
        var decision = Evaluate(policy, Eml(), "alice@contoso.com", "bob@fabrikam.com", "carol@contoso.com");
        Assert.Equal(new[] { "X-Partner" }, ActionHeaders(decision, "bob@fabrikam.com"));
        Assert.Equal(new[] { "X-Everyone" }, ActionHeaders(decision, "carol@contoso.com"));
        Assert.Equal(new[] { "carol@contoso.com" }, decision.Matches.Single(m => m.RuleName == "Everyone").Recipients);
    }

    [Fact]
    public void StopRuleProcessing_ForEveryRecipient_EndsEvaluation()
    {
        var policy = LoadValid(Document(Rule("First", 0, attributes: "StopRuleProcessing=\"true\"") + Rule("Second", 1)));
        Assert.Equal("First", Evaluate(policy, Eml()).Matches.Single().RuleName);
    }

    [Fact]
    public void RecipientInside_ByPolicyDomainsWithSubdomains_OrHostAcceptedDomainsWithWildcards_CategoryIsOnlyAHint()
    {
        var policy = LoadValid(Document(Rule("R", 0, "<SentToScope>InOrganization</SentToScope>")));
        var envelope = new MessageEnvelope("alice@contoso.com", new[]
        {
            new EnvelopeRecipientInput("carol@contoso.com"),
            new EnvelopeRecipientInput("eve@eu.contoso.com"),
            new EnvelopeRecipientInput("bob@fabrikam.com", isInternal: true),
            new EnvelopeRecipientInput("mallory@contoso.com", isInternal: false),
            new EnvelopeRecipientInput("hq@tailspin.example"),
            new EnvelopeRecipientInput("x@notcontoso.com"),
            new EnvelopeRecipientInput("sub@eu.tailspin.example"),
            new EnvelopeRecipientInput("w@wild.example"),
            new EnvelopeRecipientInput("w@a.b.wild.example"),
        }, hostOrganizationDomains: new[] { "tailspin.example", "*.wild.example" });
        using var context = Context(Encoding.UTF8.GetBytes(Eml()), envelope);
        var decision = PolicyEvaluator.Evaluate(policy, context, Now);

        // RecipientCategory (the isInternal hint) decides nothing: Exchange calls ExternalRelay domains InSameOrganization
        // and every recipient of Internet mail Incoming. A plain accepted domain does not cover its subdomains.
        Assert.Equal(new[] { true, true, false, true, true, false, false, true, true }, decision.Recipients.Select(r => r.IsInternal));
    }

    [Fact]
    public void RecipientInside_StarAcceptedDomain_CoversEveryDomain()
    {
        var policy = LoadValid(Document(Rule("R", 0, "<SentToScope>InOrganization</SentToScope>")));
        var envelope = new MessageEnvelope("alice@contoso.com", new[] { new EnvelopeRecipientInput("x@anything.example") }, hostOrganizationDomains: new[] { "*" });
        using var context = Context(Encoding.UTF8.GetBytes(Eml()), envelope);
        Assert.True(Assert.Single(PolicyEvaluator.Evaluate(policy, context, Now).Recipients).IsInternal);
    }

    [Theory]
    [InlineData("alice@contoso.com", SubmissionOrigin.Unknown, "alice@contoso.com", false)]
    [InlineData("alice@contoso.com", SubmissionOrigin.SmtpAnonymous, "alice@contoso.com", false)]
    [InlineData("", SubmissionOrigin.SmtpAnonymous, "alice@contoso.com", false)]
    [InlineData("x@mail.contoso.com", SubmissionOrigin.SmtpAnonymous, "alice@contoso.com", false)]
    [InlineData("alice@contoso.com", SubmissionOrigin.Mailbox, "alice@contoso.com", true)]
    [InlineData("scanner@contoso.com", SubmissionOrigin.SmtpAuthenticated, "scanner@contoso.com", true)]
    [InlineData("", SubmissionOrigin.Pickup, "report@contoso.com", true)]
    [InlineData("eve@fabrikam.com", SubmissionOrigin.SmtpAuthenticated, "eve@fabrikam.com", true)]
    public void FromScope_IsTheHostsWordOnly_NeverTheDomain(string mailFrom, SubmissionOrigin origin, string headerFrom, bool inOrganization)
    {
        var policy = LoadValid(Document(Rule("R", 0, "<FromScope>InOrganization</FromScope>")));
        var envelope = new MessageEnvelope(mailFrom, new[] { new EnvelopeRecipientInput("bob@fabrikam.com") }, origin);
        using var context = Context(Encoding.UTF8.GetBytes(Eml(from: headerFrom)), envelope);
        Assert.Equal(inOrganization, PolicyEvaluator.Evaluate(policy, context, Now).Matches.Count == 1);
    }

    [Fact]
    public void CatastrophicRegex_WithIgnore_DoesNotMatch_AndReturnsQuickly()
    {
        // "Quickly" is the policy's bound on the match, not a stopwatch reading (bench: CatastrophicRegexBenchmarks).
        var decision = EvaluateCatastrophic("Ignore", out var bound);
        Assert.Equal("After", Assert.Single(decision.Matches).RuleName);
        var error = Assert.Single(decision.Errors);
        Assert.Equal("Slow", error.RuleName);
        Assert.False(error.Defers);
        Assert.Contains("SubjectMatchesPatterns: regular expression timed out after 50 ms", error.Message);
        Assert.False(decision.DeferMessage);
        Assert.Equal(TimeSpan.FromMilliseconds(50), bound);

        // The next rule still ran.
        Assert.Equal("X-After", Assert.IsType<SetHeaderAction>(Assert.Single(decision.Recipients[0].Actions)).Name);
    }

    [Fact]
    public void CatastrophicRegex_WithDefer_DefersTheMessage()
    {
        var decision = EvaluateCatastrophic("Defer", out var bound);
        Assert.True(decision.DeferMessage);
        Assert.True(Assert.Single(decision.Errors).Defers);
        Assert.Equal(TimeSpan.FromMilliseconds(50), bound);
    }

    [Fact]
    public void RegexTimeoutInAnException_IsARuleError_Too()
    {
        var policy = LoadValid(Document(
            Rule("R", 0, exceptions: $"<ExceptIfSubjectMatchesPatterns>{Values("(a+)+$")}</ExceptIfSubjectMatchesPatterns>", attributes: "RuleErrorAction=\"Defer\""),
            settings: "<RegexTimeout>PT0.05S</RegexTimeout>"));
        var decision = Evaluate(policy, Eml(subject: new string('a', 5000) + "b"));
        Assert.Empty(decision.Matches);
        Assert.StartsWith("ExceptIfSubjectMatchesPatterns:", Assert.Single(decision.Errors).Message);
        Assert.True(decision.DeferMessage);
    }

    // Returns the bound the slow pattern was compiled with: what keeps the evaluation short on any machine.
    private static PolicyDecision EvaluateCatastrophic(string ruleErrorAction, out TimeSpan bound)
    {
        var policy = LoadValid(Document(
            Rule("Slow", 0, $"<SubjectMatchesPatterns>{Values("(a+)+$")}</SubjectMatchesPatterns>", attributes: $"RuleErrorAction=\"{ruleErrorAction}\"")
            + Rule("After", 1, actions: Header("X-After")),
            settings: "<RegexTimeout>PT0.05S</RegexTimeout>"));
        bound = Assert.IsType<SubjectMatchesPatternsCondition>(Assert.Single(policy.Rules[0].Conditions)).Patterns.Timeout;
        return Evaluate(policy, Eml(subject: new string('a', 5000) + "b"));
    }

    [Fact]
    public void NoRecipients_GivesAnEmptyDecision()
    {
        var policy = LoadValid(Document(Rule("R", 0)));
        using var context = Context(Encoding.UTF8.GetBytes(Eml()), new MessageEnvelope("a@contoso.com", Array.Empty<EnvelopeRecipientInput>()));
        var decision = PolicyEvaluator.Evaluate(policy, context, Now);
        Assert.Empty(decision.Recipients);
        Assert.Empty(decision.Matches);
    }

    [Fact]
    public void UnparseableMessage_MatchesOnlyEnvelopeConditions()
    {
        var policy = LoadValid(Document(Rule("Envelope", 0, ToFabrikam) + Rule("Content", 1, SubjectSecret)));
        using var context = MessageContext.Create(new MessageEnvelope("a@contoso.com", new[] { new EnvelopeRecipientInput("bob@fabrikam.com") }), new MemoryStream(Array.Empty<byte>()));
        var decision = PolicyEvaluator.Evaluate(policy, context, Now);
        Assert.Equal("Envelope", decision.Matches.Single().RuleName);
    }

    [Fact]
    public void EncryptionRuleWithGatewayFallback_IsPlannedPerRecipient()
    {
        var policy = PolicyLoader.LoadFile(Path.Combine(RepoPaths.Root, "Policies", "examples", "partner-gateway-encryption.xml")).Policy!;
        var decision = Evaluate(policy, Eml(), "alice@contoso.com", "bob@fabrikam.com", "carol@contoso.com");
        var encrypt = Assert.IsType<EncryptSmimeAction>(Assert.Single(decision.Recipients[0].Actions));
        Assert.Equal(EncryptionCertificateKind.Gateway, encrypt.Certificate);
        Assert.IsType<RouteRequireTlsFallback>(encrypt.Fallback.Steps[0]);
        Assert.Equal("5.7.901", Assert.IsType<RejectFallback>(encrypt.Fallback.Steps[1]).EnhancedStatusCode);
        Assert.Empty(decision.Recipients[1].Actions);
    }
}
