using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>The outcome of validating one certificate.</summary>
internal sealed class CertificateValidationResult
{
    /// <summary>Usable.</summary>
    public static readonly CertificateValidationResult Valid = new(CertificateProblem.None, "valid");

    /// <summary>Creates a result.</summary>
    public CertificateValidationResult(CertificateProblem problem, string detail)
    {
        Problem = problem;
        Detail = Guard.NotNull(detail);
    }

    /// <summary>The first problem found, or None.</summary>
    public CertificateProblem Problem { get; }

    /// <summary>Human-readable, ASCII, no secrets.</summary>
    public string Detail { get; }

    /// <summary>True when usable.</summary>
    public bool IsValid => Problem == CertificateProblem.None;
}
