using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>&lt;Revocation Check="true" OnlineFetch="false" WhenStatusUnknown="TreatAsUnusable"&gt;.</summary>
internal sealed class RevocationSettings
{
    /// <summary>Check revocation at all.</summary>
    public bool Check { get; init; } = true;

    /// <summary>Fetch CRLs from distribution points over the network (off: only configured CRL files).</summary>
    public bool OnlineFetch { get; init; }

    /// <summary>Outcome when no CRL covers a certificate.</summary>
    public RevocationUnknownAction WhenStatusUnknown { get; init; } = RevocationUnknownAction.TreatAsUnusable;

    /// <summary>CRL files and folders.</summary>
    public IReadOnlyList<CertificateSource> CrlSources { get; init; } = Array.Empty<CertificateSource>();
}
