using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// What <see cref="CertificateDirectory.Load"/> produced. Errors are fatal (an anchor, intermediate, CRL or key
/// source the policy depends on could not be read): the caller keeps its previous directory and policy. Warnings
/// (a partner file that cannot be parsed) leave a usable directory.
/// </summary>
public sealed class CertificateDirectoryLoadResult
{
    internal CertificateDirectoryLoadResult(CertificateDirectory directory, IReadOnlyList<string> errors, IReadOnlyList<string> warnings)
    {
        Directory = directory;
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The directory built from everything that could be read (use it only when <see cref="Succeeded"/>).</summary>
    public CertificateDirectory Directory { get; }

    /// <summary>Fatal problems, each naming the source (file:line:col of the policy) and file.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Problems that left the directory usable.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when there are no errors.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Optional knobs of <see cref="CertificateDirectory.Load"/>.</summary>
public sealed class CertificateLoadOptions
{
    /// <summary>How long validation results are reused (never past a validity or CRL boundary).</summary>
    public TimeSpan ValidationCacheDuration { get; init; } = CertificateValidator.DefaultCacheDuration;

    /// <summary>The time load-time checks (stale CRLs) use; null: now.</summary>
    public DateTime? NowUtc { get; init; }
}
