using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Certificates;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>
/// The production <see cref="CertificateValidator"/>, with a record of the time it was last asked about, so the
/// inbound tests prove their verdicts against the validator the agent really uses (issue 9, architecture) and can
/// still see that validity is judged at the time of receipt.
/// </summary>
internal sealed class RecordingCertificateValidator : ICertificateValidator
{
    private readonly CertificateValidator _validator;

    public RecordingCertificateValidator(CertificateValidator validator) => _validator = validator;

    public DateTime? LastValidationTime { get; private set; }

    public CertificateValidationResult Validate(X509Certificate certificate, CertificatePurpose purpose, DateTime atUtc, IEnumerable<X509Certificate>? untrustedIntermediates = null)
    {
        LastValidationTime = atUtc;
        return _validator.Validate(certificate, purpose, atUtc, untrustedIntermediates);
    }
}
