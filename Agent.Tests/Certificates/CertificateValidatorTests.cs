using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Linq;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Tool.Pki;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Certificates;

public sealed class CertificateValidatorTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly DateTime Now = DateTime.UtcNow;

    private static readonly string[] LeafEmails = { "leaf@fabrikam.example" };

    private static readonly RevocationSettings NoRevocation = new() { Check = false };

    [Fact]
    public void GoodCertificate_IsValidForEncryption_ThroughTheConfiguredIntermediate()
    {
        var result = Validator().Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now);

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public void Expired_IsReported()
    {
        var leaf = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, NotBefore = Now.AddYears(-2), NotAfter = Now.AddDays(-1) });

        var result = Validator().Validate(leaf, CertificatePurpose.Encryption, Now);

        Assert.Equal(CertificateProblem.Expired, result.Problem);
        Assert.Contains(CertificateNames.Thumbprint(leaf), result.Detail, StringComparison.Ordinal);
        Assert.Contains("CN=Leaf", result.Detail, StringComparison.Ordinal);
        Assert.True(result.Detail.All(c => c >= 0x20 && c < 0x7f));
    }

    [Fact]
    public void NotYetValid_IsReported()
    {
        var leaf = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, NotBefore = Now.AddDays(2), NotAfter = Now.AddYears(1) });

        Assert.Equal(CertificateProblem.NotYetValid, Validator().Validate(leaf, CertificatePurpose.Encryption, Now).Problem);
    }

    [Fact]
    public void SigningOnlyCertificate_IsNeverUsedToEncrypt_ButSigns()
    {
        var validator = Validator();

        Assert.Equal(CertificateProblem.WrongKeyUsage, validator.Validate(Pki.Signer.Certificate, CertificatePurpose.Encryption, Now).Problem);
        Assert.True(validator.Validate(Pki.Signer.Certificate, CertificatePurpose.Signing, Now).IsValid);
    }

    [Fact]
    public void EncryptionOnlyCertificate_DoesNotSign()
    {
        Assert.Equal(CertificateProblem.WrongKeyUsage, Validator().Validate(Pki.Recovery.Certificate, CertificatePurpose.Signing, Now).Problem);
    }

    [Fact]
    public void NonRepudiationOnly_Signs()
    {
        var leaf = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, KeyUsage = KeyUsage.NonRepudiation });

        Assert.True(Validator().Validate(leaf, CertificatePurpose.Signing, Now).IsValid);
    }

    [Fact]
    public void NoKeyUsageExtension_AllowsEveryUse()
    {
        var leaf = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, KeyUsage = null });

        Assert.True(Validator().Validate(leaf, CertificatePurpose.Encryption, Now).IsValid);
        Assert.True(Validator().Validate(leaf, CertificatePurpose.Signing, Now).IsValid);
    }

    [Fact]
    public void WrongExtendedKeyUsage_IsReported_AnyExtendedKeyUsageIsAccepted()
    {
        var serverOnly = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, ExtendedKeyUsages = new[] { KeyPurposeID.id_kp_serverAuth } });
        var any = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, ExtendedKeyUsages = new[] { KeyPurposeID.AnyExtendedKeyUsage } });
        var none = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, ExtendedKeyUsages = null });

        Assert.Equal(CertificateProblem.WrongExtendedKeyUsage, Validator().Validate(serverOnly, CertificatePurpose.Encryption, Now).Problem);
        Assert.True(Validator().Validate(any, CertificatePurpose.Encryption, Now).IsValid);
        Assert.True(Validator().Validate(none, CertificatePurpose.Encryption, Now).IsValid);
    }

    [Fact]
    public void UntrustedRoot_IsRejected()
    {
        var otherRoot = PkiBuilder.CreateRoot("CN=Other Root", keyPair: Pki.Bob.KeyPair);
        var leaf = PkiBuilder.Issue(otherRoot, new CertificateSpec { Subject = "CN=Stranger", Emails = new[] { "s@x.example" }, KeyPair = Pki.Alice.KeyPair }).Certificate;

        var result = Validator().Validate(leaf, CertificatePurpose.Encryption, Now);

        Assert.Equal(CertificateProblem.Untrusted, result.Problem);
    }

    [Fact]
    public void SelfSigned_IsNotTrustedBecauseItIsSelfSigned_EvenWhenCarriedAlong()
    {
        var self = PkiBuilder.Issue(null, new CertificateSpec
        {
            Subject = "CN=Mallory",
            Emails = new[] { "alice@fabrikam.example" },
            KeyUsage = KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment | KeyUsage.KeyCertSign,
            KeyPair = Pki.Bob.KeyPair,
        }).Certificate;

        var result = Validator().Validate(self, CertificatePurpose.Signing, Now, new[] { self });

        Assert.Equal(CertificateProblem.Untrusted, result.Problem);
    }

    [Fact]
    public void ConfiguredSelfSignedAnchor_IsTrustedBecauseConfigured()
    {
        var self = PkiBuilder.Issue(null, new CertificateSpec { Subject = "CN=Partner Self Signed", DnsNames = new[] { "partner.example" }, KeyPair = Pki.Bob.KeyPair }).Certificate;
        var validator = new CertificateValidator(new[] { self }, Array.Empty<X509Certificate>(), Array.Empty<X509Crl>(), NoRevocation);

        Assert.True(validator.Validate(self, CertificatePurpose.Encryption, Now).IsValid);
    }

    [Fact]
    public void IntermediateFromTheMessage_HelpsBuildThePath_ButIsNoAnchor()
    {
        var withoutIntermediate = new CertificateValidator(new[] { Pki.Root.Certificate }, Array.Empty<X509Certificate>(), Array.Empty<X509Crl>(), NoRevocation);

        Assert.Equal(CertificateProblem.Untrusted, withoutIntermediate.Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now).Problem);
        Assert.True(withoutIntermediate.Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now, new[] { Pki.Intermediate.Certificate }).IsValid);
    }

    [Fact]
    public void RevokedByCrl_IsRejected_OthersUnderTheSameCrlAreValid()
    {
        var crl = PkiBuilder.CreateCrl(Pki.Intermediate, new[] { Pki.Bob.Certificate });
        var rootCrl = PkiBuilder.CreateCrl(Pki.Root, Array.Empty<X509Certificate>());
        var validator = Validator(new RevocationSettings(), crl, rootCrl);

        var bob = validator.Validate(Pki.Bob.Certificate, CertificatePurpose.Encryption, Now);

        Assert.Equal(CertificateProblem.Revoked, bob.Problem);
        Assert.True(validator.Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now).IsValid);
    }

    [Fact]
    public void RevocationUnknown_IsUnusableByDefault_UsableWhenTheAdministratorOptsIn()
    {
        var strict = Validator(new RevocationSettings());
        var lenient = Validator(new RevocationSettings { WhenStatusUnknown = RevocationUnknownAction.TreatAsValid });

        Assert.Equal(CertificateProblem.RevocationUnknown, strict.Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now).Problem);
        Assert.True(lenient.Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now).IsValid);
    }

    [Fact]
    public void ExpiredCrl_DoesNotCount_StatusIsUnknown()
    {
        var stale = PkiBuilder.CreateCrl(Pki.Intermediate, Array.Empty<X509Certificate>(), Now.AddDays(-20), Now.AddDays(-10));
        var rootCrl = PkiBuilder.CreateCrl(Pki.Root, Array.Empty<X509Certificate>());

        var result = Validator(new RevocationSettings(), stale, rootCrl).Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now);

        Assert.Equal(CertificateProblem.RevocationUnknown, result.Problem);
    }

    [Fact]
    public void CrlSignedByAnotherKey_IsIgnored()
    {
        var impostor = new IssuedCertificate(Pki.Intermediate.Certificate, Pki.Bob.KeyPair);
        var forged = PkiBuilder.CreateCrl(impostor, new[] { Pki.Alice.Certificate });
        var rootCrl = PkiBuilder.CreateCrl(Pki.Root, Array.Empty<X509Certificate>());

        var result = Validator(new RevocationSettings(), forged, rootCrl).Validate(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now);

        Assert.Equal(CertificateProblem.RevocationUnknown, result.Problem);
    }

    [Fact]
    public void SmallRsaKey_IsUnsupported()
    {
        var leaf = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeySize = 1024 });

        Assert.Equal(CertificateProblem.UnsupportedKey, Validator().Validate(leaf, CertificatePurpose.Encryption, Now).Problem);
    }

    [Fact]
    public void AddressMismatch_IsReported_WhenTheCertificateNamesOtherAddresses()
    {
        var validator = Validator();

        var mismatch = validator.ValidateForAddress(Pki.Alice.Certificate, CertificatePurpose.Encryption, "bob@fabrikam.example", Now);
        var match = validator.ValidateForAddress(Pki.Alice.Certificate, CertificatePurpose.Encryption, "ALICE@fabrikam.example", Now);
        var gateway = validator.ValidateForAddress(Pki.Gateway.Certificate, CertificatePurpose.Encryption, "anyone@fabrikam.example", Now);

        Assert.Equal(CertificateProblem.AddressMismatch, mismatch.Problem);
        Assert.Contains("bob@fabrikam.example", mismatch.Detail, StringComparison.Ordinal);
        Assert.True(match.IsValid, match.Detail);
        Assert.True(gateway.IsValid, gateway.Detail);
    }

    [Fact]
    public void Cache_IsNotUsedPastTheCertificatesValidity()
    {
        var leaf = Leaf(new CertificateSpec { Subject = "CN=Leaf,O=Fabrikam", Emails = LeafEmails, KeyPair = Pki.Alice.KeyPair, NotBefore = Now.AddDays(-1), NotAfter = Now.AddMinutes(1) });
        var validator = new CertificateValidator(new[] { Pki.Root.Certificate }, new[] { Pki.Intermediate.Certificate }, Array.Empty<X509Crl>(), NoRevocation, TimeSpan.FromHours(1));

        Assert.True(validator.Validate(leaf, CertificatePurpose.Encryption, Now).IsValid);
        Assert.Equal(CertificateProblem.Expired, validator.Validate(leaf, CertificatePurpose.Encryption, Now.AddMinutes(2)).Problem);
    }

    [Fact]
    public void Cache_ReturnsTheSameResultWithinItsWindow()
    {
        var validator = Validator();

        var first = validator.ValidateTracked(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now, null);
        var second = validator.ValidateTracked(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now.AddSeconds(10), null);
        var otherPurpose = validator.ValidateTracked(Pki.Alice.Certificate, CertificatePurpose.Signing, Now.AddSeconds(10), null);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.False(otherPurpose.FromCache);
    }

    [Fact]
    public void CarriedCertificates_ResultIsCachedForThatSetOnly_NeverForAMessageWithoutTheChain()
    {
        // Attack: a first message carries the intermediate and gets a valid path; a second message with the same
        // signer carries nothing that leads to an anchor. A cache keyed on the signer alone would call it valid too.
        var validator = new CertificateValidator(new[] { Pki.Root.Certificate }, Array.Empty<X509Certificate>(), Array.Empty<X509Crl>(), NoRevocation);
        var alice = Pki.Alice.Certificate;

        var withChain = validator.ValidateTracked(alice, CertificatePurpose.Encryption, Now, new[] { alice, Pki.Intermediate.Certificate });
        var sameSetOtherOrder = validator.ValidateTracked(alice, CertificatePurpose.Encryption, Now.AddSeconds(10), new[] { Pki.Intermediate.Certificate, alice });
        var withoutChain = validator.ValidateTracked(alice, CertificatePurpose.Encryption, Now.AddSeconds(20), new[] { alice });
        var withoutChainAgain = validator.ValidateTracked(alice, CertificatePurpose.Encryption, Now.AddSeconds(30), new[] { alice });
        var nothingCarried = validator.ValidateTracked(alice, CertificatePurpose.Encryption, Now.AddSeconds(40), null);

        Assert.True(withChain.Result.IsValid, withChain.Result.Detail);
        Assert.False(withChain.FromCache);
        Assert.True(sameSetOtherOrder.Result.IsValid);
        Assert.True(sameSetOtherOrder.FromCache);
        Assert.Equal(CertificateProblem.Untrusted, withoutChain.Result.Problem);
        Assert.False(withoutChain.FromCache);
        Assert.Equal(CertificateProblem.Untrusted, withoutChainAgain.Result.Problem);
        Assert.True(withoutChainAgain.FromCache);
        Assert.Equal(CertificateProblem.Untrusted, nothingCarried.Result.Problem);
        Assert.False(nothingCarried.FromCache);
    }

    [Fact]
    public void CarriedCertificates_CacheStopsGrowingAtItsLimit()
    {
        // Every sender chooses what its message carries: a full cache is emptied before the next result goes in.
        var validator = new CertificateValidator(new[] { Pki.Root.Certificate }, Array.Empty<X509Certificate>(), Array.Empty<X509Crl>(), NoRevocation,
            maxCarriedResults: 2);
        X509Certificate[][] sets =
        {
            new[] { Pki.Alice.Certificate, Pki.Intermediate.Certificate },
            new[] { Pki.Alice.Certificate },
            new[] { Pki.Alice.Certificate, Pki.Intermediate.Certificate, Pki.Root.Certificate },
        };
        foreach (var set in sets)
        {
            validator.ValidateTracked(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now, set);
        }

        // The third result emptied the full cache: only it is there now.
        Assert.False(validator.ValidateTracked(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now.AddSeconds(1), sets[0]).FromCache);
        Assert.True(validator.ValidateTracked(Pki.Alice.Certificate, CertificatePurpose.Encryption, Now.AddSeconds(1), sets[2]).FromCache);
    }

    private static CertificateValidator Validator(RevocationSettings? revocation = null, params X509Crl[] crls)
        => new(new[] { Pki.Root.Certificate }, new[] { Pki.Intermediate.Certificate }, crls, revocation ?? NoRevocation);

    private static X509Certificate Leaf(CertificateSpec spec) => PkiBuilder.Issue(Pki.Intermediate, spec).Certificate;
}
