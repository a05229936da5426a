using ExchangeEncryptionAgent.Tests.Support;
using System.IO;
using System.Linq;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

/// <summary>File → model → XML → model: the writer is the loader's inverse, for every shipped policy and fixture.</summary>
public sealed class PolicyRoundTripTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        data.Add(Path.Combine(RepoPaths.Root, "Policies", "default.xml"));
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "Policies", "examples"), "*.xml").OrderBy(f => f))
        {
            data.Add(file);
        }

        data.Add(RepoPaths.TestData("policies", "keyword-encryption-with-audit.xml"));
        return data;
    }

    private static readonly string[] Messages =
    {
        Eml(subject: "Q3 confidential figures"),
        Eml(from: "eve@fabrikam.com", to: "carol@contoso.com", contentType: "application/pkcs7-mime; smime-type=enveloped-data", body: "AAAA"),
        Eml(extraHeaders: "msip_labels: MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_Enabled=true; MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_Name=Confidential\r\n"),
        Eml(subject: "RE: [public] confidential"),
    };

    private static string Describe(PolicyDecision decision)
        => PolicyDecisionLog.Describe(decision, "m") + string.Join("|", decision.Matches.SelectMany(m => m.Conditions.Select(c => c.Condition + "=" + c.MatchedValue)));

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadWriteLoad_IsAFixedPoint_AndEvaluatesTheSame(string file)
    {
        var original = PolicyLoader.LoadFile(file);
        Assert.True(original.Succeeded, string.Join("\n", original.Errors));
        var written = PolicyWriter.Write(original.Policy!);

        var reloaded = PolicyLoader.LoadXml(written, "written.xml");
        Assert.True(reloaded.Succeeded, string.Join("\n", reloaded.Errors) + "\n" + written);
        Assert.Equal(original.Warnings.Count, reloaded.Warnings.Count);
        Assert.Equal(written, PolicyWriter.Write(reloaded.Policy!));

        foreach (var eml in Messages)
        {
            var recipients = new[] { "bob@fabrikam.com", "carol@contoso.com", "x@eu.fabrikam.com" };
            Assert.Equal(
                Describe(Evaluate(original.Policy!, eml, "alice@contoso.com", recipients)),
                Describe(Evaluate(reloaded.Policy!, eml, "alice@contoso.com", recipients)));
        }
    }

    [Fact]
    public void EveryConditionAndAction_RoundTrips()
    {
        var conditions = "<FromScope>InOrganization</FromScope><From><Value>a@contoso.com</Value></From>"
            + "<FromAddressMatchesPatterns><Value>^a@</Value></FromAddressMatchesPatterns><SenderDomainIs><Value>contoso.com</Value></SenderDomainIs>"
            + "<SentToScope>NotInOrganization</SentToScope><SentTo><Value>b@fabrikam.com</Value></SentTo>"
            + "<RecipientAddressMatchesPatterns><Value>^b@</Value></RecipientAddressMatchesPatterns><RecipientDomainIs><Value>fabrikam.com</Value></RecipientDomainIs>"
            + "<AnyOfToCcHeader><Value>c@contoso.com</Value></AnyOfToCcHeader><HeaderContainsWords Header=\"X-A\"><Value>w</Value></HeaderContainsWords>"
            + "<HeaderMatchesPatterns Header=\"X-B\"><Value>p</Value></HeaderMatchesPatterns><SubjectContainsWords><Value>two words</Value></SubjectContainsWords>"
            + "<SubjectMatchesPatterns><Value>s</Value></SubjectMatchesPatterns><SubjectOrBodyContainsWords><Value>w</Value></SubjectOrBodyContainsWords>"
            + "<SubjectOrBodyMatchesPatterns><Value>b</Value></SubjectOrBodyMatchesPatterns><AttachmentNameMatchesPatterns><Value>n</Value></AttachmentNameMatchesPatterns>"
            + "<AttachmentExtensionMatchesWords><Value>.exe</Value></AttachmentExtensionMatchesWords><AttachmentContainsWords><Value>w</Value></AttachmentContainsWords>"
            + "<AttachmentSizeOver>1KB</AttachmentSizeOver><MessageSizeOver>2 MB</MessageSizeOver>"
            + "<MessageTypeMatches><Value>Signed</Value></MessageTypeMatches><WithImportance><Value>High</Value></WithImportance>"
            + "<HasSensitivity><Value>Private</Value></HasSensitivity><HasClassification><Value>5c1d6f2a-8b3e-4a7d-9c0f-1e2d3c4b5a69</Value></HasClassification><HasSensitivityLabel><Value>Secret</Value></HasSensitivityLabel>";
        var exceptions = "<ExceptIfSentTo><Value>d@fabrikam.com</Value></ExceptIfSentTo><ExceptIfMessageTypeMatches><Value>Encrypted</Value></ExceptIfMessageTypeMatches>";
        var actions = "<EncryptSmime Certificate=\"Personal\" MinimumTrust=\"Harvested\" ContentEncryption=\"Aes128Gcm\" KeyTransport=\"RsaOaepSha256\" HeaderProtection=\"true\" SubjectPlaceholder=\"Sealed\" EvenIfAlreadyEncrypted=\"true\">"
            + "<Fallback><RouteRequireTls/><DeferMessage RetryAfter=\"PT2H\"/></Fallback></EncryptSmime>"
            + "<SignSmime Signer=\"SenderOrOrganization\" OrganizationKey=\"k\" Format=\"Opaque\" Digest=\"Sha512\" Padding=\"Pss\"><Fallback><DeliverUnsigned/></Fallback></SignSmime>"
            + "<DecryptSmime Deliver=\"Ciphertext\" OnFailure=\"Defer\"/><VerifySmime ValidSubjectTag=\"[ok]\" InvalidSubjectTag=\"[bad]\"/><RouteRequireTls/>"
            + "<SetHeader Name=\"X-S\" Value=\"v\"/><RemoveHeader Name=\"X-R\"/><PrependSubject Text=\"[x] \"/><RejectMessage EnhancedStatusCode=\"5.7.950\" Reason=\"No\"/>";
        var certificates = "<OrganizationKeys><Key Name=\"k\" Usage=\"Signing\" Store=\"My\" Thumbprint=\"0123456789ABCDEF0123456789ABCDEF01234567\"/>"
            + "<Key Name=\"d\" Usage=\"Decryption\" CertificateFile=\"d.crt\" KeyFile=\"d.key\" PasswordFile=\"d.pwd\"/></OrganizationKeys>";
        var policy = LoadValid(Document(
            Rule("All", 0, conditions, exceptions, actions, "Enabled=\"false\" Mode=\"Audit\" ActivationDate=\"2025-01-01T00:00:00Z\" ExpiryDate=\"2026-01-01T10:00:00+01:00\" StopRuleProcessing=\"true\" RuleErrorAction=\"Defer\" Comments=\"c\""),
            settings: "<OrganizationDomains><Domain>contoso.com</Domain></OrganizationDomains><ForcedTls AddressSpace=\"tls.contoso.invalid\" TlsDomain=\"mx.fabrikam.com\"/>",
            certificates: certificates));
        var written = PolicyWriter.Write(policy);
        var reloaded = LoadValid(written);
        Assert.Equal(written, PolicyWriter.Write(reloaded));
        var rule = reloaded.Rules.Single();
        Assert.Equal(25, rule.Conditions.Count);
        Assert.Equal("5c1d6f2a-8b3e-4a7d-9c0f-1e2d3c4b5a69", Assert.Single(rule.Conditions.OfType<HasClassificationCondition>().Single().ClassificationIds));
        Assert.Equal("Secret", Assert.Single(rule.Conditions.OfType<HasSensitivityLabelCondition>().Single().Labels));
        Assert.Equal(2, rule.Exceptions.Count);
        Assert.Equal(9, rule.Actions.Count);
        Assert.Equal(policy.Rules[0].ExpiryDate, rule.ExpiryDate);
        Assert.Contains("<ExceptIfSentTo>", written);
    }
}
