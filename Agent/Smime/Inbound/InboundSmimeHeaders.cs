using System;
using System.Text.RegularExpressions;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// The values of the fields the inbound transform stamps (their names are in <see cref="Content.AgentHeaders"/>); their
/// grammar is in docs/headers.md (public surface).
/// </summary>
internal static class InboundSmimeHeaders
{
    /// <summary>The one text every decryption failure gets, whatever its cause (no padding-oracle distinctions).</summary>
    public const string UniformDecryptionFailure = "The S/MIME message could not be decrypted.";

    // An address goes into the header only when it cannot break the header's syntax (no CR/LF, ';', '"', space).
    private static readonly Regex SafeAddress = new(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9.\-\[\]:]+$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>X-EEA-Signature: verdict [; signer=address] [; reason=token].</summary>
    public static string FormatSignature(SignatureStatus status, string? signer, SignatureProblem problem)
    {
        var value = StatusToken(status);
        if (signer is not null && IsSafeAddress(signer))
        {
            value += "; signer=" + signer;
        }

        if (problem != SignatureProblem.None && status != SignatureStatus.Valid)
        {
            value += "; reason=" + ProblemToken(problem);
        }

        return value;
    }

    /// <summary>X-EEA-Decryption: outcome token.</summary>
    public static string FormatDecryption(DecryptionOutcome outcome) => outcome switch
    {
        DecryptionOutcome.Decrypted => "decrypted",
        DecryptionOutcome.DecryptedAttachment => "decrypted-attachment",
        DecryptionOutcome.KeptCiphertext => "kept-ciphertext",
        DecryptionOutcome.NotForUs => "not-for-us",
        DecryptionOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "no header for this outcome"),
    };

    /// <summary>The verdict token: valid, invalid, untrusted, none.</summary>
    public static string StatusToken(SignatureStatus status) => status switch
    {
        SignatureStatus.Valid => "valid",
        SignatureStatus.Invalid => "invalid",
        SignatureStatus.Untrusted => "untrusted",
        _ => "none",
    };

    /// <summary>The reason token (kebab-case of <see cref="SignatureProblem"/>).</summary>
    public static string ProblemToken(SignatureProblem problem) => problem switch
    {
        SignatureProblem.BadSignature => "bad-signature",
        SignatureProblem.Malformed => "malformed",
        SignatureProblem.NoSignerCertificate => "no-signer-certificate",
        SignatureProblem.WeakAlgorithm => "weak-algorithm",
        SignatureProblem.KeyUsage => "key-usage",
        SignatureProblem.ExtendedKeyUsage => "extended-key-usage",
        SignatureProblem.AddressMismatch => "address-mismatch",
        SignatureProblem.FromNotSingle => "from-not-single",
        SignatureProblem.SignerIsSender => "signer-is-sender",
        SignatureProblem.UnsignedParts => "unsigned-parts",
        SignatureProblem.Expired => "expired",
        SignatureProblem.NotYetValid => "not-yet-valid",
        SignatureProblem.Revoked => "revoked",
        SignatureProblem.RevocationUnknown => "revocation-unknown",
        SignatureProblem.UntrustedChain => "untrusted-chain",
        SignatureProblem.UnsupportedKey => "unsupported-key",
        SignatureProblem.NestingTooDeep => "nesting-too-deep",
        _ => "none",
    };

    internal static bool IsSafeAddress(string address) => address.Length <= 254 && SafeAddress.IsMatch(address);
}
