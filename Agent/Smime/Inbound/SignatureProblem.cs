using System;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>Why a signature is not valid; the token in the X-EEA-Signature reason parameter.</summary>
internal enum SignatureProblem
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
