using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// What <see cref="CertificateDirectory.Load"/> produced. Errors are fatal (an anchor, intermediate, CRL or key
/// source the policy depends on could not be read): the caller keeps its previous directory and policy. Warnings
/// (a partner file that cannot be parsed) leave a usable directory.
/// </summary>
internal sealed class CertificateDirectoryLoadResult
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
