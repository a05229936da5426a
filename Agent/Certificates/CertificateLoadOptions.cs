using System;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Optional knobs of <see cref="CertificateDirectory.Load"/>.</summary>
internal sealed class CertificateLoadOptions
{
    /// <summary>How long validation results are reused (never past a validity or CRL boundary).</summary>
    public TimeSpan ValidationCacheDuration { get; init; } = CertificateValidator.DefaultCacheDuration;

    /// <summary>The time load-time checks (stale CRLs) use; null: now.</summary>
    public DateTime? NowUtc { get; init; }
}
