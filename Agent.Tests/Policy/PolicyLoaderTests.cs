using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy;
using ExchangeEncryptionAgent.Policy.Model;
using Xunit;
using static ExchangeEncryptionAgent.Tests.Policy.PolicyTestKit;

namespace ExchangeEncryptionAgent.Tests.Policy;

public sealed class PolicyLoaderTests
{
    [Fact]
    public void NotXml_GivesOneClearError()
    {
        var errors = LoadErrors("this is not XML at all");
        var error = Assert.Single(errors);
        Assert.StartsWith("policy.xml:1:1: not well-formed XML", error);
    }

    [Fact]
    public void TruncatedXml_ReportsLineAndColumn()
    {
        var errors = LoadErrors($"<Policy xmlns=\"{Ns}\">\n  <Rules>\n");
        Assert.Matches(@"^policy\.xml:3:\d+: not well-formed XML", Assert.Single(errors));
    }

    [Fact]
    public void WrongNamespace_SaysWhichNamespaceIsExpected()
    {
        var errors = LoadErrors("<Policy xmlns=\"urn:something-else\"><Rules/></Policy>");
        var error = Assert.Single(errors);
        Assert.Contains("the root element must be <Policy xmlns=\"urn:exchange-encryption-agent:policy:v1\">", error);
        Assert.Contains("urn:something-else", error);
    }

    [Fact]
    public void NoNamespace_IsRejected()
    {
        Assert.Contains("the root element must be", Assert.Single(LoadErrors("<Policy><Rules/></Policy>")));
    }

    [Fact]
    public void Doctype_WithInternalEntity_IsRejected()
    {
        var xml = $"<?xml version=\"1.0\"?><!DOCTYPE Policy [<!ENTITY name \"expanded\">]><Policy xmlns=\"{Ns}\"><Rules>{Rule("&name;", 0)}</Rules></Policy>";
        var error = Assert.Single(LoadErrors(xml));
        Assert.Contains("DOCTYPE declarations are not allowed", error);
    }

    [Fact]
    public void BillionLaughs_IsRejectedQuickly()
    {
        var entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append(System.Globalization.CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? string.Empty : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">");
        }

        var xml = $"<?xml version=\"1.0\"?><!DOCTYPE Policy [{entities}]><Policy xmlns=\"{Ns}\"><Rules>{Rule("&lol9;", 0)}</Rules></Policy>";
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Single(LoadErrors(xml));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("DOCTYPE declarations are not allowed", error);

        // Expanding &lol9; would take 3 GB; refusing the DOCTYPE takes what parsing a small document takes. Allocation,
        // not a stopwatch, so a busy machine cannot fail it (the time is in PolicyLoadBenchmarks.RejectBillionLaughs).
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task ExternalEntity_AndExternalDtd_AreNeverRead()
    {
        using var temp = new TempDirectory();
        var canary = Path.Combine(temp.Path, "canary.txt");
        var isFifo = OperatingSystem.IsLinux() && Mkfifo(canary, Convert.ToUInt32("600", 8)) == 0;
        if (!isFifo)
        {
            File.WriteAllText(canary, "CANARY-SECRET-CONTENT");
        }

        // On Linux the canary is a named pipe: opening it for writing blocks until somebody opens it for reading,
        // so a writer that gets through proves that the loader (or anything) tried to read the file.
        var writerThrough = new ManualResetEventSlim(false);
        var writer = isFifo
            ? Task.Run(() =>
            {
                using var stream = new FileStream(canary, FileMode.Open, FileAccess.Write);
                writerThrough.Set();
                stream.Write(Encoding.ASCII.GetBytes("CANARY-SECRET-CONTENT"));
            })
            : Task.CompletedTask;

        var uri = new Uri(canary).AbsoluteUri;
        var withEntity = $"<?xml version=\"1.0\"?><!DOCTYPE Policy [<!ENTITY leak SYSTEM \"{uri}\">]><Policy xmlns=\"{Ns}\"><Rules>{Rule("&leak;", 0)}</Rules></Policy>";
        var withDtd = $"<?xml version=\"1.0\"?><!DOCTYPE Policy SYSTEM \"{uri}\"><Policy xmlns=\"{Ns}\"><Rules/></Policy>";
        foreach (var xml in new[] { withEntity, withDtd })
        {
            var policyFile = Path.Combine(temp.Path, "policy.xml");
            File.WriteAllText(policyFile, xml);
            var result = PolicyLoader.LoadFile(policyFile);
            Assert.Null(result.Policy);
            var error = Assert.Single(result.Errors).ToString();
            Assert.Contains("DOCTYPE declarations are not allowed", error);
            Assert.DoesNotContain("CANARY", error);
        }

        if (isFifo)
        {
            Assert.False(writerThrough.Wait(TimeSpan.FromMilliseconds(300)), "the canary pipe was opened for reading: the loader read an external resource");

            // Release the blocked writer.
            using var reader = new FileStream(canary, FileMode.Open, FileAccess.Read);
            reader.ReadByte();
            await writer.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void DuplicateNamesAndPriorities_AreAllReported()
    {
        var xml = Document(Rule("Same", 1) + Rule("same", 2) + Rule("Other", 1));
        var errors = LoadErrors(xml);
        Assert.Contains(errors, e => e.Contains("rule 'same': duplicate rule name: 'Same' is already defined at line 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("rule 'Other': duplicate priority 1: rule 'Same'", StringComparison.Ordinal));
        Assert.Equal(2, errors.Length);
    }

    [Fact]
    public void UnknownElement_IsReportedWithItsRuleAndLine()
    {
        var xml = Document("\n" + Rule("Typo rule", 0, conditions: "\n<SubjectContainsWord><Value>x</Value></SubjectContainsWord>"));
        var error = Assert.Single(LoadErrors(xml));
        Assert.Matches(@"^policy\.xml:3:2: rule 'Typo rule': .*'SubjectContainsWord'", error);
        Assert.DoesNotContain("urn:exchange-encryption-agent", error);
    }

    [Fact]
    public void UnknownAttribute_AndBadEnum_AreReported()
    {
        var xml = Document(Rule("R", 0, attributes: "Colour=\"red\" Mode=\"Sometimes\""));
        var errors = LoadErrors(xml);
        Assert.Contains(errors, e => e.Contains("rule 'R'") && e.Contains("Colour"));
        Assert.Contains(errors, e => e.Contains("rule 'R'") && e.Contains("Sometimes"));
    }

    [Fact]
    public void InvalidRegex_IsALoadErrorNamingTheRule()
    {
        var xml = Document(Rule("Bad pattern", 0, conditions: $"<SubjectMatchesPatterns>{Values("ok", "(unclosed")}</SubjectMatchesPatterns>"));
        var error = Assert.Single(LoadErrors(xml));
        Assert.Contains("rule 'Bad pattern': invalid regular expression '(unclosed'", error);
    }

    [Fact]
    public void ErrorsInSeveralPlaces_AreReportedTogether()
    {
        var xml = Document(
            Rule("A", 0, conditions: $"<SubjectMatchesPatterns>{Values("[")}</SubjectMatchesPatterns>")
            + Rule("B", 1, actions: "<RejectMessage EnhancedStatusCode=\"5.7.2\"/>")
            + Rule("C", 2, actions: "<RouteRequireTls/>"),
            settings: "<RegexTimeout>PT20S</RegexTimeout>");
        var errors = LoadErrors(xml);
        Assert.Contains(errors, e => e.Contains("RegexTimeout must be between") && !e.Contains("rule '"));
        Assert.Contains(errors, e => e.Contains("rule 'A': invalid regular expression"));
        Assert.Contains(errors, e => e.Contains("rule 'B': EnhancedStatusCode must be 5.7.1 or 5.7.900 to 5.7.999"));
        Assert.Contains(errors, e => e.Contains("rule 'C': RouteRequireTls needs <Settings><ForcedTls"));
        Assert.Equal(4, errors.Length);
    }

    [Theory]
    [InlineData("5.7.1", true)]
    [InlineData("5.7.900", true)]
    [InlineData("5.7.999", true)]
    [InlineData("5.7.899", false)]
    [InlineData("5.7.1000", false)]
    [InlineData("4.7.1", false)]
    [InlineData("5.7.01", false)]
    public void RejectMessage_StatusCodes(string code, bool valid)
    {
        var xml = Document(Rule("R", 0, actions: $"<RejectMessage EnhancedStatusCode=\"{code}\" Reason=\"No\"/>"));
        var result = PolicyLoader.LoadXml(xml);
        Assert.Equal(valid, result.Succeeded);
        if (valid)
        {
            Assert.Equal(code, Assert.IsType<RejectMessageAction>(result.Policy!.Rules[0].Actions[0]).EnhancedStatusCode);
        }
        else
        {
            Assert.Contains("EnhancedStatusCode must be 5.7.1 or 5.7.900 to 5.7.999", Assert.Single(result.Errors).Message);
        }
    }

    [Fact]
    public void RejectMessage_NonAsciiReason_IsRejected()
    {
        var xml = Document(Rule("R", 0, actions: "<RejectMessage Reason=\"Zugriff verweigert für Sie\"/>"));
        Assert.Contains("Reason must be printable US-ASCII", Assert.Single(LoadErrors(xml)));
    }

    [Theory]
    [InlineData("<SetHeader Name=\"Bad Header\" Value=\"x\"/>", "is not a header name")]
    [InlineData("<SetHeader Name=\"Content-Type\" Value=\"text/plain\"/>", "carries the MIME structure")]
    [InlineData("<RemoveHeader Name=\"MIME-Version\"/>", "carries the MIME structure")]
    [InlineData("<SetHeader Name=\"X-EEA-Policy\" Value=\"forged\"/>", "stamped by the agent itself")]
    [InlineData("<SetHeader Name=\"X-Ok\" Value=\"line&#10;break\"/>", "control characters")]
    public void HeaderActions_AreValidated(string action, string expected)
    {
        var errors = LoadErrors(Document(Rule("R", 0, actions: action)));
        Assert.Contains(errors, e => e.Contains(expected) && e.Contains("rule 'R'"));
    }

    [Fact]
    public void ForcedTls_MakesRouteRequireTlsValid_InActionsAndFallbacks()
    {
        var rules = Rule("R", 0, actions: "<RouteRequireTls/><EncryptSmime><Fallback><RouteRequireTls/><DeferMessage RetryAfter=\"PT15M\"/></Fallback></EncryptSmime>");
        var errors = LoadErrors(Document(rules));
        Assert.Equal(2, errors.Count(e => e.Contains("RouteRequireTls needs <Settings><ForcedTls")));

        var policy = LoadValid(Document(rules, settings: "<ForcedTls AddressSpace=\"tls.contoso.invalid\" TlsDomain=\"mail.fabrikam.com\"/>"));
        Assert.Equal("tls.contoso.invalid", policy.Settings.ForcedTls!.AddressSpace);
        Assert.Equal("mail.fabrikam.com", policy.Settings.ForcedTls.TlsDomain);
        var encrypt = Assert.IsType<EncryptSmimeAction>(policy.Rules[0].Actions[1]);
        Assert.IsType<RouteRequireTlsFallback>(encrypt.Fallback.Steps[0]);
        Assert.Equal(TimeSpan.FromMinutes(15), Assert.IsType<DeferFallback>(encrypt.Fallback.Steps[1]).RetryAfter);
    }

    [Fact]
    public void NoFallback_IsTheDefaultRejectChain()
    {
        var policy = LoadValid(Document(Rule("R", 0, actions: "<EncryptSmime/>")));
        var encrypt = Assert.IsType<EncryptSmimeAction>(policy.Rules[0].Actions[0]);
        Assert.Same(FallbackChain.Default, encrypt.Fallback);
        Assert.Equal("5.7.1", Assert.IsType<RejectFallback>(Assert.Single(encrypt.Fallback.Steps)).EnhancedStatusCode);
    }

    [Fact]
    public void InsecurePlainTextFallback_LoadsWithAWarningEventNamingTheRule()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "insecure.xml");
        File.WriteAllText(file, Document(Rule("Leaky rule", 0, actions: "<EncryptSmime><Fallback><DeliverInPlainTextInsecure/></Fallback></EncryptSmime>")));
        using var logging = AgentLogging.CreateInMemory(out var target);
        var result = PolicyLoader.LoadFile(file, logging.Log);
        Assert.True(result.Succeeded);
        Assert.Contains("rule 'Leaky rule'", Assert.Single(result.Warnings).ToString());
        logging.Factory.Flush();
        var entry = Assert.Single(target.Logs);
        Assert.StartsWith("WARN|1102|", entry);
        Assert.Contains("rule 'Leaky rule'", entry);
        Assert.Contains("UNENCRYPTED", entry);
    }

    [Fact]
    public void InsecureFallback_IsOnlyAllowedForEncryption_AndDeliverUnsignedOnlyForSigning()
    {
        var keys = "<OrganizationKeys><Key Name=\"k\" Usage=\"Signing\" PfxFile=\"pki/k.pfx\"/></OrganizationKeys>";
        var errors = LoadErrors(Document(
            Rule("A", 0, actions: "<SignSmime><Fallback><DeliverInPlainTextInsecure/></Fallback></SignSmime>")
            + Rule("B", 1, actions: "<EncryptSmime><Fallback><DeliverUnsigned/></Fallback></EncryptSmime>"),
            certificates: keys));
        Assert.Contains(errors, e => e.Contains("rule 'A'") && e.Contains("DeliverInPlainTextInsecure"));
        Assert.Contains(errors, e => e.Contains("rule 'B'") && e.Contains("DeliverUnsigned"));
    }

    [Fact]
    public void UnreachableFallbackStep_IsAWarning()
    {
        var result = PolicyLoader.LoadXml(Document(Rule("R", 0, actions: "<EncryptSmime><Fallback><RejectMessage/><DeferMessage/></Fallback></EncryptSmime>")));
        Assert.True(result.Succeeded);
        Assert.Contains("never reached", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void SignSmime_OrganizationKey_MustNameASigningKey()
    {
        var keys = "<OrganizationKeys><Key Name=\"decrypt\" Usage=\"Decryption\" PfxFile=\"pki/d.pfx\"/><Key Name=\"sign\" Usage=\"Signing\" CertificateFile=\"pki/s.crt\" KeyFile=\"pki/s.key\"/></OrganizationKeys>";
        var errors = LoadErrors(Document(Rule("R", 0, actions: "<SignSmime OrganizationKey=\"decrypt\"/>"), certificates: keys));
        Assert.Contains("OrganizationKey 'decrypt' names no <Key Usage=\"Signing\">", Assert.Single(errors));
        Assert.Contains("known: 'sign'", errors[0]);

        var policy = LoadValid(Document(Rule("R", 0, actions: "<SignSmime OrganizationKey=\"sign\" Format=\"Opaque\" Digest=\"Sha512\" Padding=\"Pss\"/>"), certificates: keys));
        var sign = Assert.IsType<SignSmimeAction>(policy.Rules[0].Actions[0]);
        Assert.Equal(("sign", SignatureFormat.Opaque, SignatureDigest.Sha512, SignaturePadding.Pss), (sign.OrganizationKey, sign.Format, sign.Digest, sign.Padding));
    }

    [Fact]
    public void SignSmime_WithoutAnySigningKey_IsAnError()
    {
        Assert.Contains("has no <Key Usage=\"Signing\">", Assert.Single(LoadErrors(Document(Rule("R", 0, actions: "<SignSmime/>")))));
    }

    [Fact]
    public void Dates_ExpiryMustFollowActivation_AndOffsetsAreHonoured()
    {
        Assert.Contains("ExpiryDate must be later than ActivationDate",
            Assert.Single(LoadErrors(Document(Rule("R", 0, attributes: "ActivationDate=\"2025-02-01T00:00:00Z\" ExpiryDate=\"2025-01-01T00:00:00Z\"")))));

        var policy = LoadValid(Document(Rule("R", 0, attributes: "ActivationDate=\"2025-01-01Z\" ExpiryDate=\"2025-03-01T08:30:00+02:00\"")));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), policy.Rules[0].ActivationDate);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 6, 30, 0, TimeSpan.Zero), policy.Rules[0].ExpiryDate!.Value.ToUniversalTime());

        policy = LoadValid(Document(Rule("R", 0, attributes: "ActivationDate=\"2025-01-01+01:00\"")));
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero), policy.Rules[0].ActivationDate!.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("ActivationDate", "2025-07-01")]
    [InlineData("ExpiryDate", "2025-07-01T08:00:00")]
    [InlineData("ActivationDate", "2025-07-01T08:00:00.5")]
    public void Dates_WithoutOffset_AreRefused_NamingFileLineAndRule(string attribute, string value)
    {
        // Exchange reads these as the server's local time; silently taking UTC would shift the rule by hours.
        var xml = Document(Rule("Quarter end", 0, attributes: $"{attribute}=\"{value}\""));
        var result = PolicyLoader.LoadXml(xml, "contoso-policy.xml");
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("contoso-policy.xml", error.File);
        Assert.True(error.Line > 0);
        Assert.Equal("Quarter end", error.RuleName);
        Assert.Contains($"{attribute} '{value}' has no UTC offset", error.Message);
    }

    [Fact]
    public void RuleAttributes_AreMapped()
    {
        var policy = LoadValid(Document(Rule("R", 7,
            actions: "<SetHeader Name=\"X-A\" Value=\"1\"/><StopRuleProcessing/>",
            attributes: "Enabled=\"false\" Mode=\"Audit\" RuleErrorAction=\"Defer\" Comments=\"why\"")));
        var rule = Assert.Single(policy.Rules);
        Assert.Equal(("R", 7, false, RuleMode.Audit, RuleErrorAction.Defer, "why", true),
            (rule.Name, rule.Priority, rule.Enabled, rule.Mode, rule.RuleErrorAction, rule.Comments, rule.StopRuleProcessing));
        Assert.Single(rule.Actions);
        Assert.Equal("R", rule.Actions[0].RuleName);
        Assert.Matches(@"^policy\.xml:1:\d+$", rule.Location);
    }

    [Fact]
    public void Rules_AreOrderedByPriority_NotByFileOrder()
    {
        var policy = LoadValid(Document(Rule("Third", 30) + Rule("First", 0) + Rule("Second", 5)));
        Assert.Equal(new[] { "First", "Second", "Third" }, policy.Rules.Select(r => r.Name));
    }

    [Fact]
    public void Settings_AreMapped()
    {
        var policy = LoadValid(Document(Rule("R", 0), settings:
            "<OrganizationDomains><Domain>contoso.com</Domain><Domain>contoso.de</Domain></OrganizationDomains>"
            + "<AuditHeader Enabled=\"false\"/><DecisionLogLevel>Debug</DecisionLogLevel><RegexTimeout>PT0.25S</RegexTimeout>"
            + "<AttachmentScanLimit>150KB</AttachmentScanLimit><MaxNestingDepth>3</MaxNestingDepth>"));
        var s = policy.Settings;
        Assert.Equal(new[] { "contoso.com", "contoso.de" }, s.OrganizationDomains);
        Assert.False(s.StampAuditHeader);
        Assert.Equal(AgentEventLevel.Debug, s.DecisionLogLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.RegexTimeout);
        Assert.Equal(150 * 1024, s.AttachmentScanLimitBytes);
        Assert.Equal(3, s.MaxSmimeNestingDepth);
        Assert.Null(s.ForcedTls);
    }

    [Fact]
    public void Certificates_AreMapped_WithLocations()
    {
        var certificates = "<TrustAnchors><File Path=\"pki/root.crt\"/><WindowsStore Store=\"Root\" Thumbprint=\"0123456789abcdef0123456789abcdef01234567\"/></TrustAnchors>"
            + "<Intermediates><Folder Path=\"pki/ca\"/></Intermediates>"
            + "<Revocation Check=\"false\" OnlineFetch=\"true\" WhenStatusUnknown=\"TreatAsValid\"><File Path=\"pki/a.crl\"/><Folder Path=\"pki/crl\"/></Revocation>"
            + "<PartnerCertificates><File Path=\"pki/gw.crt\" Domains=\"fabrikam.com  *.fabrikam.com\"/></PartnerCertificates>"
            + "<Partners><Partner Domain=\"fabrikam.com\" ContentEncryption=\"Aes128Gcm\" KeyTransport=\"RsaOaepSha256\"/></Partners>"
            + "<OrganizationKeys><Key Name=\"sig\" Usage=\"Signing\" Store=\"My\" Thumbprint=\"0123456789ABCDEF0123456789ABCDEF01234567\"/>"
            + "<Key Name=\"rec\" Usage=\"Recovery\" CertificateFile=\"pki/recovery.crt\"/></OrganizationKeys>"
            + "<SenderKeys><Folder Path=\"pki/users\"/></SenderKeys><Harvesting Enabled=\"true\" Folder=\"pki/harvested\"/>";
        var c = LoadValid(Document(Rule("R", 0), certificates: certificates)).Certificates;
        Assert.Equal(CertificateSourceKind.File, c.TrustAnchors[0].Kind);
        Assert.Equal("pki/root.crt", c.TrustAnchors[0].Path);
        Assert.Matches(@"^policy\.xml:1:\d+$", c.TrustAnchors[0].Location);
        Assert.Equal((CertificateSourceKind.WindowsStore, "Root", "LocalMachine"), (c.TrustAnchors[1].Kind, c.TrustAnchors[1].StoreName, c.TrustAnchors[1].StoreLocation));
        Assert.Equal(CertificateSourceKind.Folder, c.Intermediates[0].Kind);
        Assert.Equal((false, true, RevocationUnknownAction.TreatAsValid, 2), (c.Revocation.Check, c.Revocation.OnlineFetch, c.Revocation.WhenStatusUnknown, c.Revocation.CrlSources.Count));
        Assert.Equal(new[] { "fabrikam.com", "*.fabrikam.com" }, c.PartnerCertificates[0].Domains);
        Assert.Equal((ContentEncryptionAlgorithm.Aes128Gcm, KeyTransportAlgorithm.RsaOaepSha256), (c.Partners[0].ContentEncryption, c.Partners[0].KeyTransport));
        Assert.Equal((OrganizationKeyUsage.Signing, CertificateSourceKind.WindowsStore, "My"), (c.OrganizationKeys[0].Usage, c.OrganizationKeys[0].Source.Kind, c.OrganizationKeys[0].Source.StoreName));
        Assert.Equal(("rec", "pki/recovery.crt"), (c.OrganizationKeys[1].Name, c.OrganizationKeys[1].Source.Path));
        Assert.NotEmpty(c.OrganizationKeys[1].Source.Location);
        Assert.Equal("pki/users", c.SenderKeys[0].Path);
        Assert.True(c.Harvesting.Enabled);
        Assert.Equal("pki/harvested", c.Harvesting.Folder);
    }

    [Theory]
    [InlineData("<Key Name=\"k\" Usage=\"Signing\" CertificateFile=\"a.crt\"/>", "needs its private key")]
    [InlineData("<Key Name=\"k\" Usage=\"Signing\"/>", "needs CertificateFile")]
    [InlineData("<Key Name=\"k\" Usage=\"Signing\" Store=\"My\"/>", "Store needs a Thumbprint")]
    [InlineData("<Key Name=\"k\" Usage=\"Recovery\" PfxFile=\"a.pfx\"/><Key Name=\"K\" Usage=\"Recovery\" PfxFile=\"b.pfx\"/>", "key name 'K' is already used")]
    public void OrganizationKeys_AreValidated(string keys, string expected)
    {
        var errors = LoadErrors(Document(Rule("R", 0), certificates: $"<OrganizationKeys>{keys}</OrganizationKeys>"));
        Assert.Contains(errors, e => e.Contains(expected) && !e.Contains("rule '"));
    }

    [Fact]
    public void TenThousandRules_Load()
    {
        var (small, _) = LoadManyRules(1_000);
        var (large, result) = LoadManyRules(10_000);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Take(5)));
        Assert.Equal(10_000, result.Policy!.Rules.Count);

        // Linear in the rules: ten times the rules, about ten times the allocation (a per-rule scan of all rules would
        // be a hundred times). The load time is in PolicyLoadBenchmarks.Load10000Rules.
        Assert.True(large < small * 15, $"1,000 rules allocated {small:N0} bytes, 10,000 rules {large:N0}");
    }

    private static (long Allocated, PolicyLoadResult Result) LoadManyRules(int count)
    {
        var rules = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            rules.Append(Rule($"Rule {i}", i, conditions: $"<RecipientDomainIs><Value>partner{i}.example</Value></RecipientDomainIs><SubjectContainsWords><Value>project {i}</Value></SubjectContainsWords>"));
        }

        var xml = Document(rules.ToString());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = PolicyLoader.LoadXml(xml);
        return (GC.GetAllocatedBytesForCurrentThread() - before, result);
    }

    [Fact]
    public void OversizedFile_IsRejectedWithoutParsing()
    {
        var bytes = new byte[PolicyLoader.MaxFileBytes + 1];
        var result = PolicyLoader.Load(bytes, "huge.xml", "huge.xml");
        Assert.Contains("huge.xml:0:0: the file is 33554433 bytes; a policy may be at most", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void LoadFile_RecordsFullPathAndHash()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "p.xml");
        var xml = Document(Rule("R", 0));
        File.WriteAllText(file, xml);
        var policy = PolicyLoader.LoadFile(file).Policy!;
        Assert.Equal(Path.GetFullPath(file), policy.SourcePath);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant(), policy.Sha256);
    }

    [Fact]
    public void ErrorFormat_IsFileLineColumnRuleMessage()
    {
        var error = new PolicyError("p.xml", 3, 7, "My rule", "something is wrong");
        Assert.Equal("p.xml:3:7: rule 'My rule': something is wrong", error.ToString());
        Assert.Equal("p.xml:1:2: outside", new PolicyError("p.xml", 1, 2, null, "outside").ToString());
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Mkfifo(string path, uint mode);
}
