using ExchangeEncryptionAgent.Smime.Inbound;
using ExchangeEncryptionAgent.Tests.Support;
using Org.BouncyCastle.X509;
using Xunit;

namespace ExchangeEncryptionAgent.Tests.Smime.Inbound;

/// <summary>
/// Signer public keys are made once per key (<see cref="SignerPublicKeys"/>): the same key for a certificate parsed
/// anew from another message, never another certificate's key.
/// </summary>
public sealed class SignerPublicKeysTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public void SameCertificateParsedAgain_GetsTheKeyMadeTheFirstTime()
    {
        var first = SignerPublicKeys.Of(Reparsed(Pki.Alice.Certificate));
        var second = SignerPublicKeys.Of(Reparsed(Pki.Alice.Certificate));

        Assert.Same(first, second);
        Assert.Equal(Pki.Alice.Certificate.GetPublicKey(), first);
    }

    [Fact]
    public void OtherCertificate_GetsItsOwnKey()
    {
        var alice = SignerPublicKeys.Of(Reparsed(Pki.Alice.Certificate));
        var signer = SignerPublicKeys.Of(Reparsed(Pki.Signer.Certificate));

        Assert.NotEqual(alice, signer);
        Assert.Equal(Pki.Signer.Certificate.GetPublicKey(), signer);
    }

    /// <summary>As a message carries it: a new certificate object from the encoded bytes.</summary>
    private static X509Certificate Reparsed(X509Certificate certificate) => new X509CertificateParser().ReadCertificate(certificate.GetEncoded());
}
