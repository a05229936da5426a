using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tests.Support;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Processing;

/// <summary>
/// Recipients share a copy exactly when their <see cref="CopyTreatment"/>s are equal: built separately from equal parts
/// they group together; one field that differs (a sign key, an algorithm, header protection, the route, a deferral, a
/// Bcc recipient's own envelope, a fallback taken) separates them.
/// </summary>
public sealed class CopyTreatmentEqualityTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    /// <summary>A fully populated treatment, every part built anew on each call (no shared instances).</summary>
    private static CopyTreatment Baseline() => new(
        "tls.contoso.example",
        new ValueList<HeaderEdit>(new[] { HeaderEdit.Set("X-Class", "Confidential"), HeaderEdit.PrependSubject("[secure] ") }),
        new SignPlan(Pki.SignerEntry, SignatureFormat.Clear, SignatureDigest.Sha256, SignaturePadding.Pkcs1),
        new EncryptSettings(ContentEncryptionAlgorithm.Aes256Cbc, KeyTransportAlgorithm.RsaPkcs1, false, "..."),
        new InboundStep(new DecryptSmimeAction { RuleName = "Inbound" }, new VerifySmimeAction { RuleName = "Inbound", InvalidSubjectTag = "[unverified] " }),
        null,
        null,
        TreatmentFacts.None,
        new ValueList<string>(new[] { "Partners", "Inbound" }),
        null);

    public static TheoryData<string> Differences => new(Changes.Keys);

    private static readonly IReadOnlyDictionary<string, Func<CopyTreatment, CopyTreatment>> Changes = new Dictionary<string, Func<CopyTreatment, CopyTreatment>>
    {
        ["sign key"] = t => t with { Sign = new SignPlan(OtherKey(), SignatureFormat.Clear, SignatureDigest.Sha256, SignaturePadding.Pkcs1) },
        ["sign digest"] = t => t with { Sign = t.Sign! with { Digest = SignatureDigest.Sha512 } },
        ["no signature"] = t => t with { Sign = null },
        ["algorithm"] = t => t with { Encrypt = t.Encrypt! with { Algorithm = ContentEncryptionAlgorithm.Aes256Gcm } },
        ["key transport"] = t => t with { Encrypt = t.Encrypt! with { KeyTransport = KeyTransportAlgorithm.RsaOaepSha256 } },
        ["header protection"] = t => t with { Encrypt = t.Encrypt! with { HeaderProtection = true } },
        ["routing domain"] = t => t with { RoutingDomain = "other.contoso.example" },
        ["no route"] = t => t with { RoutingDomain = null },
        ["deferral"] = t => t with { DeferFor = TimeSpan.FromMinutes(10), DeferReason = "no certificate yet" },
        ["bcc recipient"] = t => t with { BlindRecipient = "carol@fabrikam.example" },
        ["header edit value"] = t => t with { Edits = new ValueList<HeaderEdit>(new[] { HeaderEdit.Set("X-Class", "Secret"), HeaderEdit.PrependSubject("[secure] ") }) },
        ["header edit order"] = t => t with { Edits = new ValueList<HeaderEdit>(t.Edits.Reverse()) },
        ["verify tag"] = t => t with { Inbound = t.Inbound! with { Verify = new VerifySmimeAction { RuleName = "Inbound", InvalidSubjectTag = "[bad] " } } },
        ["decrypt delivery"] = t => t with { Inbound = t.Inbound! with { Decrypt = new DecryptSmimeAction { RuleName = "Inbound", Deliver = DecryptedDelivery.Ciphertext } } },
        ["fallback taken"] = t => t with { Facts = TreatmentFacts.DeliveredUnsigned },
        ["insecure opt-in"] = t => t with { Facts = TreatmentFacts.InsecurePlainText },
        ["rules"] = t => t with { Rules = new ValueList<string>(new[] { "Partners" }) },
    };

    [Fact]
    public void TreatmentsBuiltSeparatelyFromEqualParts_AreEqual_AndShareOneCopy()
    {
        var first = Baseline();
        var second = Baseline();

        Assert.NotSame(first.Sign!.Key, second.Sign!.Key);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Single(Group(first, second));
    }

    [Theory]
    [MemberData(nameof(Differences))]
    public void OneDifferingField_SeparatesTheCopies(string difference)
    {
        var first = Baseline();
        var second = Changes[difference](Baseline());

        Assert.NotEqual(first, second);
        Assert.Equal(2, Group(first, second).Count);
    }

    [Fact]
    public void DeferredTreatments_AreEqualWhenTheWaitAndReasonAre_WhateverElseTheRulesSaid()
    {
        Assert.Equal(CopyTreatment.Deferred(TimeSpan.FromMinutes(10), "x"), CopyTreatment.Deferred(TimeSpan.FromMinutes(10), "x"));
        Assert.NotEqual(CopyTreatment.Deferred(TimeSpan.FromMinutes(10), "x"), CopyTreatment.Deferred(TimeSpan.FromMinutes(20), "x"));
    }

    [Fact]
    public void OutcomeTokens_AreDerivedFromTheFields()
    {
        var treatment = Baseline() with { Facts = TreatmentFacts.FallbackRouted, Sign = null, Encrypt = null };

        Assert.Equal(new[] { OutcomeTokens.FallbackRouteRequireTls, OutcomeTokens.ForcedTls }, treatment.Outcome);
        Assert.Equal(new[] { OutcomeTokens.Encrypted, OutcomeTokens.ForcedTls, OutcomeTokens.Signed }, Baseline().Outcome);
    }

    private static List<IGrouping<CopyTreatment, string>> Group(CopyTreatment first, CopyTreatment second)
        => new[] { ("alice@fabrikam.example", first), ("bob@fabrikam.example", second) }
            .GroupBy(r => r.Item2, r => r.Item1)
            .ToList();

    private static PrivateKeyEntry OtherKey()
    {
        // The same name and key, but a different certificate: a renewed key is a different signer.
        var alice = Pki.Alice;
        return new PrivateKeyEntry("org-signing", alice.Certificate, alice.KeyPair.Private, Array.Empty<Org.BouncyCastle.X509.X509Certificate>());
    }
}
