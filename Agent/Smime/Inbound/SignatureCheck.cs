using System;
using System.Collections.Generic;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>The verdict on an S/MIME signature, as stamped in X-EEA-Signature (docs/headers.md).</summary>
public enum SignatureStatus
{
    /// <summary>No S/MIME signature was found.</summary>
    None,
    /// <summary>Cryptographically sound, signer certificate fit for signing, chained to a configured anchor and valid at receipt, naming the single From mailbox the reader sees.</summary>
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
    /// <summary>The signer certificate names neither the From nor a Sender mailbox (RFC 8550 §3).</summary>
    AddressMismatch,
    /// <summary>The message has no single From mailbox (no From, two From fields, a From list or group): a signature binds to none of them.</summary>
    FromNotSingle,
    /// <summary>The signer is the Sender, not the From mailbox the reader sees as the author.</summary>
    SignerIsSender,
    /// <summary>A multipart/signed carries body parts beside the signed one: content the signature does not cover.</summary>
    UnsignedParts,
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
    internal SignatureCheck(SignatureStatus status, SignatureProblem problem, string? signerAddress, X509Certificate? signerCertificate,
        IReadOnlyList<string>? certificateAddresses = null, bool bound = true)
    {
        Status = status;
        Problem = problem;
        SignerAddress = signerAddress;
        SignerCertificate = signerCertificate;
        CertificateAddresses = certificateAddresses ?? Array.Empty<string>();
        IsBound = bound;
    }

    /// <summary>The verdict.</summary>
    public SignatureStatus Status { get; }

    /// <summary>Why it is not valid (None when valid).</summary>
    public SignatureProblem Problem { get; }

    /// <summary>The signer's address: the From/Sender address the certificate matched, else the certificate's first address.</summary>
    public string? SignerAddress { get; }

    /// <summary>The signer certificate, when the message carried it.</summary>
    public X509Certificate? SignerCertificate { get; }

    /// <summary>The mail addresses the signer certificate names.</summary>
    internal IReadOnlyList<string> CertificateAddresses { get; }

    /// <summary>False while the verdict still waits for the From binding (<see cref="BindTo"/>).</summary>
    internal bool IsBound { get; }

    /// <summary>
    /// A verdict that is only about the certificate and the bytes (no address binding yet), for <see cref="BindTo"/>.
    /// </summary>
    internal static SignatureCheck Unbound(SignatureStatus status, SignatureProblem problem, X509Certificate certificate, IReadOnlyList<string> addresses)
        => new(status, problem, addresses.Count > 0 ? addresses[0] : null, certificate, addresses, bound: false);

    /// <summary>
    /// The verdict bound to the From the reader sees (RFC 8550 §3): a sound or merely untrusted signature whose
    /// certificate does not name that single From mailbox is invalid, with the reason why. Verdicts already invalid
    /// for the bytes or the certificate stay as they are.
    /// </summary>
    internal SignatureCheck BindTo(SenderIdentity shown)
    {
        if (IsBound)
        {
            return this;
        }

        var (problem, matched) = shown.Bind(CertificateAddresses);
        if (Status is SignatureStatus.Valid or SignatureStatus.Untrusted && problem != SignatureProblem.None)
        {
            return new SignatureCheck(SignatureStatus.Invalid, problem, matched ?? SignerAddress, SignerCertificate, CertificateAddresses);
        }

        return new SignatureCheck(Status, Problem, matched ?? SignerAddress, SignerCertificate, CertificateAddresses);
    }

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
