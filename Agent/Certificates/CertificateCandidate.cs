using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>A partner certificate and how it became known.</summary>
internal sealed class CertificateCandidate
{
    public CertificateCandidate(X509Certificate certificate, CertificateTrust trust)
    {
        Certificate = certificate;
        Trust = trust;
    }

    public X509Certificate Certificate { get; }

    public CertificateTrust Trust { get; }
}
