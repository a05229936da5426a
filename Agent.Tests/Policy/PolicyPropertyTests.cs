using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>Invariants checked on generated policies and messages.</summary>
public sealed class PolicyPropertyTests
{
    private static readonly string[] ConditionPool =
    {
        "<RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>",
        "<SentToScope>InOrganization</SentToScope>",
        "<SentToScope>NotInOrganization</SentToScope>",
        "<SubjectContainsWords><Value>alpha</Value><Value>beta</Value></SubjectContainsWords>",
        "<SubjectOrBodyContainsWords><Value>gamma</Value></SubjectOrBodyContainsWords>",
        "<SubjectMatchesPatterns><Value>^re:</Value></SubjectMatchesPatterns>",
        "<FromScope>InOrganization</FromScope>",
        "<SentTo><Value>carol@contoso.com</Value></SentTo>",
        "<WithImportance><Value>High</Value></WithImportance>",
    };

    private static readonly string[] ExceptionPool =
    {
        "<ExceptIfSubjectContainsWords><Value>beta</Value></ExceptIfSubjectContainsWords>",
        "<ExceptIfSentTo><Value>dave@fabrikam.com</Value></ExceptIfSentTo>",
        "<ExceptIfRecipientDomainIs><Value>contoso.com</Value></ExceptIfRecipientDomainIs>",
    };

    private static readonly string[] Words = { "alpha", "beta", "gamma", "re:", "delta", "Alpha," };

    private static readonly string[] RecipientPool = { "bob@fabrikam.com", "carol@contoso.com", "dave@fabrikam.com", "eve@eu.fabrikam.com", "x@other.example" };

    /// <summary>A rule: (condition indexes, exception index or -1, mode, stop).</summary>
    private static readonly Gen<(int[] Conditions, int Exception, bool Audit, bool Stop)> GenRule =
        Gen.Select(Gen.Int[0, ConditionPool.Length - 1].Array[0, 3], Gen.Int[-1, ExceptionPool.Length - 1], Gen.Bool, Gen.Bool);

    private static readonly Gen<(int[] Conditions, int Exception, bool Audit, bool Stop)[]> GenRules = GenRule.Array[1, 8];

    private static readonly Gen<(string Subject, string[] Recipients, bool High)> GenMessage =
        Gen.Select(Gen.OneOfConst(Words).Array[0, 5].Select(w => string.Join(" ", w)), Gen.OneOfConst(RecipientPool).ArrayUnique[1, 4], Gen.Bool);

    private static string[] RuleXml((int[] Conditions, int Exception, bool Audit, bool Stop)[] rules)
        => rules.Select((r, i) => Rule($"Rule {i}", i * 10,
            string.Concat(r.Conditions.Distinct().Select(c => ConditionPool[c])),
            r.Exception < 0 ? string.Empty : ExceptionPool[r.Exception],
            $"<SetHeader Name=\"X-R{i}\" Value=\"{i}\"/>",
            (r.Audit ? "Mode=\"Audit\" " : string.Empty) + (r.Stop ? "StopRuleProcessing=\"true\"" : string.Empty))).ToArray();

    private static string Describe(PolicyDecision d)
    {
        var builder = new StringBuilder();
        foreach (var m in d.Matches)
        {
            builder.Append(m.RuleName).Append('/').Append(m.Mode).Append(':').Append(string.Join(",", m.Recipients)).Append('|')
                .Append(string.Join(",", m.Conditions.Select(c => c.Condition + "=" + c.MatchedValue))).Append('\n');
        }

        foreach (var r in d.Recipients)
        {
            builder.Append(r.Address).Append(r.IsInternal).Append(':').Append(string.Join(",", r.Actions.Select(a => a.RuleName + AuditHeader.ActionName(a)))).Append('\n');
        }

        return builder.Append(d.DeferMessage).Append(d.Errors.Count).ToString();
    }

    private static string Run(string[] rules, (string Subject, string[] Recipients, bool High) message)
    {
        var policy = LoadValid(Document(string.Concat(rules)));
        var eml = Eml(subject: message.Subject, extraHeaders: message.High ? "Importance: high\r\n" : string.Empty);
        return Describe(Evaluate(policy, eml, "alice@contoso.com", message.Recipients));
    }

    [Fact]
    public void Evaluation_IsDeterministic()
    {
        Gen.Select(GenRules, GenMessage).Sample((rules, message) =>
        {
            var xml = RuleXml(rules);
            Assert.Equal(Run(xml, message), Run(xml, message));
        }, iter: 200);
    }

    [Fact]
    public void Evaluation_DoesNotDependOnTheOrderOfRulesInTheFile()
    {
        Gen.Select(GenRules, GenMessage, Gen.Int).Sample((rules, message, seed) =>
        {
            var xml = RuleXml(rules);
            var shuffled = (string[])xml.Clone();
            var random = new Random(seed);
            for (var i = shuffled.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            Assert.Equal(Run(xml, message), Run(shuffled, message));
        }, iter: 200);
    }

    [Fact]
    public void WholeWordSearch_AgreesWithARegexReference()
    {
        var text = Gen.OneOfConst('a', 'b', 'A', 'B', ' ', '-', '1', 'é').Array[0, 30].Select(c => new string(c));
        var word = Gen.OneOfConst('a', 'b', 'B', '-', '1').Array[1, 4].Select(c => new string(c));
        Gen.Select(text, word).Sample((t, w) =>
        {
            var left = char.IsLetterOrDigit(w[0]) ? @"(?<![\p{L}\p{Nd}])" : string.Empty;
            var right = char.IsLetterOrDigit(w[^1]) ? @"(?![\p{L}\p{Nd}])" : string.Empty;
            var expected = Regex.IsMatch(t, left + Regex.Escape(w) + right, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            Assert.Equal(expected, WholeWordSearch.Contains(t, w));
        }, iter: 5000);
    }

    [Fact]
    public void MessageContext_NeverThrows_OnArbitraryHtmlAndMime()
    {
        var fragments = new[] { "<", ">", "</", "<!--", "-->", "&", ";", "&#x41;", "&amp", "<script>", "</script", "<b>", "a", " ", "\r\n", "--b\r\n", "Content-Type: text/html\r\n", "=?utf-8?B?", "?=", "\0" };
        Gen.OneOfConst(fragments).Array[0, 60].Select(parts => string.Concat(parts)).Sample(body =>
        {
            var eml = "Subject: " + body + "\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n" + body + "\r\n--b--\r\n";
            using var context = Context(eml);
            _ = context.BodyText;
            _ = context.Subject;
            _ = context.Attachments.Select(a => a.GetText(1024)).ToList();
            Assert.NotNull(context.BodyText);
        }, iter: 500);
    }

    [Fact]
    public void Loader_NeverThrows_OnMutatedPolicies()
    {
        var original = Encoding.UTF8.GetBytes(System.IO.File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "Policies", "examples", "confidential-label-or-keyword.xml")));
        Gen.Select(Gen.Int[0, original.Length - 1].Array[1, 8], Gen.Byte.Array[8]).Sample((positions, bytes) =>
        {
            var mutated = (byte[])original.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                mutated[positions[i]] = bytes[i];
            }

            var result = PolicyLoader.Load(mutated, "fuzz.xml", "fuzz.xml");
            Assert.True(result.Succeeded ^ (result.Errors.Count > 0));
            Assert.All(result.Errors, e => Assert.StartsWith("fuzz.xml:", e.ToString(), StringComparison.Ordinal));
        }, iter: 300);
    }
}
