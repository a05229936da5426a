using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>The result of an encryption-certificate lookup: a certificate, or why there is none.</summary>
internal sealed class EncryptionCertificateLookup
{
    private EncryptionCertificateLookup(X509Certificate? certificate, CertificateTrust trust, bool isGateway, string? failure)
    {
        Certificate = certificate;
        Trust = trust;
        IsGateway = isGateway;
        FailureReason = failure;
    }

    /// <summary>The certificate, when found.</summary>
    public X509Certificate? Certificate { get; }

    /// <summary>How it became known.</summary>
    public CertificateTrust Trust { get; }

    /// <summary>True for a partner gateway (domain) certificate, false for a personal one.</summary>
    public bool IsGateway { get; }

    /// <summary>Why nothing usable was found (ASCII, safe for NDR text): "no certificate for x", "certificate ... expired".</summary>
    public string? FailureReason { get; }

    /// <summary>True when <see cref="Certificate"/> is set.</summary>
    public bool Found => Certificate is not null;

    /// <summary>A found certificate.</summary>
    public static EncryptionCertificateLookup Success(X509Certificate certificate, CertificateTrust trust, bool isGateway)
        => new(Guard.NotNull(certificate), trust, isGateway, null);

    /// <summary>Nothing usable.</summary>
    public static EncryptionCertificateLookup Failure(string reason) => new(null, CertificateTrust.Harvested, false, Guard.NotNull(reason));
}
