using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>The verdict on an S/MIME signature, as stamped in X-EEA-Signature (docs/headers.md).</summary>
public enum SignatureStatus
{
    /// <summary>No S/MIME signature was found.</summary>
    None,
    /// <summary>Cryptographically sound, signer certificate fit for signing, chained to a configured anchor and valid at receipt, naming the From or Sender address.</summary>
    Valid,
    /// <summary>The signature or the signer certificate fails a check (tampered content, wrong key usage, address mismatch, expired...).</summary>
    Invalid,
    /// <summary>Cryptographically sound, but the signer's chain does not end at a configured trust anchor (or its revocation status is unknown).</summary>
    Untrusted,
}

/// <summary>Why a signature is not valid; the token in the X-EEA-Signature reason parameter.</summary>
public enum SignatureProblem
{
    /// <summary>Nothing wrong.</summary>
    None,
    /// <summary>The signature does not match the content (tampered content or a forged signature).</summary>
    BadSignature,
    /// <summary>The signature could not be parsed.</summary>
    Malformed,
    /// <summary>The signer's certificate is not in the message.</summary>
    NoSignerCertificate,
    /// <summary>The digest algorithm is historic (MD5, SHA-1; RFC 8551 App. B).</summary>
    WeakAlgorithm,
    /// <summary>Key usage lacks digitalSignature and nonRepudiation (RFC 8550 §4.4.2).</summary>
    KeyUsage,
    /// <summary>Extended key usage present without emailProtection or anyExtendedKeyUsage (RFC 8550 §4.4.4).</summary>
    ExtendedKeyUsage,
    /// <summary>Neither From nor Sender is an address of the signer certificate (RFC 8550 §3).</summary>
    AddressMismatch,
    /// <summary>The signer certificate had expired at the time of receipt.</summary>
    Expired,
    /// <summary>The signer certificate was not yet valid at the time of receipt.</summary>
    NotYetValid,
    /// <summary>The signer certificate is revoked.</summary>
    Revoked,
    /// <summary>No configured CRL covers the signer certificate.</summary>
    RevocationUnknown,
    /// <summary>No chain to a configured trust anchor.</summary>
    UntrustedChain,
    /// <summary>The signer key is of a kind or size we do not accept.</summary>
    UnsupportedKey,
    /// <summary>More S/MIME layers than the policy's MaxNestingDepth.</summary>
    NestingTooDeep,
}

/// <summary>The result of checking one signed layer (the best of its SignerInfos).</summary>
public sealed class SignatureCheck
{
    internal SignatureCheck(SignatureStatus status, SignatureProblem problem, string? signerAddress, X509Certificate? signerCertificate)
    {
        Status = status;
        Problem = problem;
        SignerAddress = signerAddress;
        SignerCertificate = signerCertificate;
    }

    /// <summary>The verdict.</summary>
    public SignatureStatus Status { get; }

    /// <summary>Why it is not valid (None when valid).</summary>
    public SignatureProblem Problem { get; }

    /// <summary>The signer's address: the From/Sender address the certificate matched, else the certificate's first address.</summary>
    public string? SignerAddress { get; }

    /// <summary>The signer certificate, when the message carried it.</summary>
    public X509Certificate? SignerCertificate { get; }

    internal static SignatureCheck Invalid(SignatureProblem problem, string? signer = null, X509Certificate? certificate = null)
        => new(SignatureStatus.Invalid, problem, signer, certificate);

    /// <summary>How good a verdict is when several signers or layers compete: Valid, then Untrusted, then Invalid.</summary>
    internal int Rank => Status switch
    {
        SignatureStatus.Valid => 3,
        SignatureStatus.Untrusted => 2,
        SignatureStatus.Invalid => 1,
        _ => 0,
    };
}
