using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>VerifySmime: verify S/MIME signatures by RFC 8550 rules and stamp X-EEA-Signature.</summary>
public sealed class VerifySmimeAction : PolicyAction
{
    /// <summary>Prepended to the Subject when the signature is not valid (null: Subject untouched).</summary>
    public string? InvalidSubjectTag { get; init; }

    /// <summary>Prepended to the Subject when the signature is valid (null: Subject untouched).</summary>
    public string? ValidSubjectTag { get; init; }
}
