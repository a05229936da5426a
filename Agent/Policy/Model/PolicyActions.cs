using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Policy.Model;

// The actions a rule can take. The policy loader builds them from XML (element names in comments); the evaluator
// hands them per recipient to the processing pipeline, which carries them out. All immutable.

/// <summary>Base of every action. <see cref="RuleName"/> says which rule asked for it (for audit and logs).</summary>
public abstract class PolicyAction
{
    /// <summary>The rule that owns this action.</summary>
    public string RuleName { get; init; } = string.Empty;
}

/// <summary>Which certificate an <see cref="EncryptSmimeAction"/> encrypts to.</summary>
public enum EncryptionCertificateKind
{
    /// <summary>The recipient's personal certificate, else the partner gateway certificate of the recipient's domain.</summary>
    PersonalOrGateway,
    /// <summary>Only the recipient's personal certificate (end to end).</summary>
    Personal,
    /// <summary>Only the partner gateway (domain) certificate (organisation to organisation).</summary>
    Gateway,
}

/// <summary>How far a partner certificate must be trusted before we encrypt to it.</summary>
public enum CertificateTrust
{
    /// <summary>Learnt from a validly signed inbound message (harvested).</summary>
    Harvested = 0,
    /// <summary>Configured by an administrator in a certificate source.</summary>
    Configured = 1,
}

/// <summary>Symmetric content encryption. Never 3DES, RC2 or DES for new mail (RFC 8551 App. B).</summary>
public enum ContentEncryptionAlgorithm
{
    /// <summary>AES-256-CBC: the default, the widest interoperability today.</summary>
    Aes256Cbc,
    /// <summary>AES-128-CBC.</summary>
    Aes128Cbc,
    /// <summary>AES-256-GCM (AuthEnvelopedData, RFC 5083/5084); only for partners known to read it.</summary>
    Aes256Gcm,
    /// <summary>AES-128-GCM (AuthEnvelopedData).</summary>
    Aes128Gcm,
}

/// <summary>RSA key transport for the content-encryption key.</summary>
public enum KeyTransportAlgorithm
{
    /// <summary>RSA PKCS#1 v1.5: the default; what every S/MIME client reads.</summary>
    RsaPkcs1,
    /// <summary>RSAES-OAEP with SHA-256 and MGF1-SHA-256; per partner.</summary>
    RsaOaepSha256,
}

/// <summary>EncryptSmime: encrypt the copy for the matched recipients (RFC 8551 enveloped-data).</summary>
public sealed class EncryptSmimeAction : PolicyAction
{
    /// <summary>Which certificate to encrypt to.</summary>
    public EncryptionCertificateKind Certificate { get; init; } = EncryptionCertificateKind.PersonalOrGateway;

    /// <summary>The least trust a partner certificate needs.</summary>
    public CertificateTrust MinimumTrust { get; init; } = CertificateTrust.Configured;

    /// <summary>Null: the partner's setting, else AES-256-CBC.</summary>
    public ContentEncryptionAlgorithm? ContentEncryption { get; init; }

    /// <summary>Null: the partner's setting, else RSA PKCS#1 v1.5.</summary>
    public KeyTransportAlgorithm? KeyTransport { get; init; }

    /// <summary>Wrap the whole message as message/rfc822 inside the encryption (RFC 8551 §3.1).</summary>
    public bool HeaderProtection { get; init; }

    /// <summary>The outer Subject when <see cref="HeaderProtection"/> is on.</summary>
    public string SubjectPlaceholder { get; init; } = "Encrypted message";

    /// <summary>Encrypt even mail that is already encrypted (S/MIME or PGP/MIME). Off: such mail passes as it is.</summary>
    public bool EvenIfAlreadyEncrypted { get; init; }

    /// <summary>What happens when no usable certificate exists.</summary>
    public FallbackChain Fallback { get; init; } = FallbackChain.Default;
}

/// <summary>Whose key signs.</summary>
public enum SignerKind
{
    /// <summary>The organisation's signing key (the gateway signs for the organisation).</summary>
    Organization,
    /// <summary>The sender's own key from a configured source.</summary>
    Sender,
    /// <summary>The sender's own key when there is one, else the organisation's.</summary>
    SenderOrOrganization,
}

/// <summary>How the signature is attached.</summary>
public enum SignatureFormat
{
    /// <summary>multipart/signed (RFC 1847), readable without S/MIME support; prepared to 7-bit first.</summary>
    Clear,
    /// <summary>application/pkcs7-mime; smime-type=signed-data; survives relays that rewrite content.</summary>
    Opaque,
}

/// <summary>Signature digest (RFC 8551 §2.1).</summary>
public enum SignatureDigest
{
    /// <summary>SHA-256 (default).</summary>
    Sha256,
    /// <summary>SHA-512.</summary>
    Sha512,
}

/// <summary>RSA signature padding.</summary>
public enum SignaturePadding
{
    /// <summary>PKCS#1 v1.5 (default, RFC 8551 MUST-).</summary>
    Pkcs1,
    /// <summary>RSASSA-PSS, salt length = hash length.</summary>
    Pss,
}

/// <summary>SignSmime: sign the copy. With <see cref="EncryptSmimeAction"/> on the same recipient: sign, then encrypt.</summary>
public sealed class SignSmimeAction : PolicyAction
{
    /// <summary>Whose key signs.</summary>
    public SignerKind Signer { get; init; } = SignerKind.Organization;

    /// <summary>The organisation key to use (its Name in the policy); null: the only signing key configured.</summary>
    public string? OrganizationKey { get; init; }

    /// <summary>Clear (multipart/signed) or opaque (signed-data).</summary>
    public SignatureFormat Format { get; init; } = SignatureFormat.Clear;

    /// <summary>Digest algorithm.</summary>
    public SignatureDigest Digest { get; init; } = SignatureDigest.Sha256;

    /// <summary>RSA padding.</summary>
    public SignaturePadding Padding { get; init; } = SignaturePadding.Pkcs1;

    /// <summary>What happens when no usable signing key exists.</summary>
    public FallbackChain Fallback { get; init; } = FallbackChain.Default;
}

/// <summary>What an inbound decryption delivers.</summary>
public enum DecryptedDelivery
{
    /// <summary>Deliver the plain text (downstream anti-virus, journaling and archiving see it).</summary>
    Decrypted,
    /// <summary>Check that the organisation can decrypt, stamp the result, deliver the ciphertext unchanged.</summary>
    Ciphertext,
}

/// <summary>What happens to a message that cannot be decrypted or verified.</summary>
public enum InboundFailureAction
{
    /// <summary>Deliver it unchanged, with a header and an event saying why.</summary>
    PassThrough,
    /// <summary>Defer it (the administrator fixes the key; Exchange retries).</summary>
    Defer,
}

/// <summary>
/// What an inbound decryption delivers when the content was encrypted without integrity protection (enveloped-data:
/// AES-CBC or 3DES) and no valid signature inside the encryption covers it. CBC is malleable: whoever captured the
/// ciphertext can rewrite it so that the decrypted HTML sends the secret to an address of their choosing (EFAIL).
/// </summary>
public enum UnsignedCbcContent
{
    /// <summary>Deliver a short notice with the decrypted content as an attachment that nothing renders unasked (the default).</summary>
    Attachment,
    /// <summary>Deliver the ciphertext unchanged, as Deliver="Ciphertext" would.</summary>
    Ciphertext,
    /// <summary>Deliver the decrypted content as it is, active HTML included (opt-in; EFAIL-exposed).</summary>
    Deliver,
}

/// <summary>DecryptSmime: decrypt S/MIME addressed to an organisation key, for internal recipients only.</summary>
public sealed class DecryptSmimeAction : PolicyAction
{
    /// <summary>Deliver decrypted, or keep the ciphertext.</summary>
    public DecryptedDelivery Deliver { get; init; } = DecryptedDelivery.Decrypted;

    /// <summary>Outcome for a message that cannot be decrypted.</summary>
    public InboundFailureAction OnFailure { get; init; } = InboundFailureAction.PassThrough;

    /// <summary>What decrypted CBC content without a valid signature inside the encryption becomes.</summary>
    public UnsignedCbcContent UnsignedCbcContent { get; init; } = UnsignedCbcContent.Attachment;
}

/// <summary>VerifySmime: verify S/MIME signatures by RFC 8550 rules and stamp X-EEA-Signature.</summary>
public sealed class VerifySmimeAction : PolicyAction
{
    /// <summary>Prepended to the Subject when the signature is not valid (null: Subject untouched).</summary>
    public string? InvalidSubjectTag { get; init; }

    /// <summary>Prepended to the Subject when the signature is valid (null: Subject untouched).</summary>
    public string? ValidSubjectTag { get; init; }
}

/// <summary>RouteRequireTls: deliver the matched recipients through the forced-TLS send connector.</summary>
public sealed class RouteRequireTlsAction : PolicyAction
{
}

/// <summary>SetHeader: set (replace) a header on the copy.</summary>
public sealed class SetHeaderAction : PolicyAction
{
    /// <summary>Header name (RFC 5322 field name).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Header value (unstructured text).</summary>
    public string Value { get; init; } = string.Empty;
}

/// <summary>RemoveHeader: remove every instance of a header from the copy.</summary>
public sealed class RemoveHeaderAction : PolicyAction
{
    /// <summary>Header name.</summary>
    public string Name { get; init; } = string.Empty;
}

/// <summary>PrependSubject: put text in front of the Subject (once; not again when already there).</summary>
public sealed class PrependSubjectAction : PolicyAction
{
    /// <summary>The text to prepend.</summary>
    public string Text { get; init; } = string.Empty;
}

/// <summary>RejectMessage: NDR the matched recipients.</summary>
public sealed class RejectMessageAction : PolicyAction
{
    /// <summary>5.7.1 or 5.7.900–5.7.999.</summary>
    public string EnhancedStatusCode { get; init; } = "5.7.1";

    /// <summary>ASCII reason shown in the NDR.</summary>
    public string Reason { get; init; } = "Delivery not authorized, message refused";
}

/// <summary>The step list a protective action falls back to, tried in order; the first that can be carried out wins.</summary>
public sealed class FallbackChain
{
    /// <summary>The chain used when a rule gives none: reject with 5.7.1 naming what was missing.</summary>
    public static readonly FallbackChain Default = new(new FallbackStep[] { new RejectFallback() });

    /// <summary>Creates a chain.</summary>
    public FallbackChain(IReadOnlyList<FallbackStep> steps)
    {
        Steps = Guard.NotNull(steps);
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<FallbackStep> Steps { get; }
}

/// <summary>One fallback step.</summary>
public abstract class FallbackStep
{
}

/// <summary>Deliver unprotected, but only over the forced-TLS connector. Possible only when ForcedTls is configured.</summary>
public sealed class RouteRequireTlsFallback : FallbackStep
{
}

/// <summary>NDR the recipient.</summary>
public sealed class RejectFallback : FallbackStep
{
    /// <summary>5.7.1 or 5.7.900–5.7.999.</summary>
    public string EnhancedStatusCode { get; init; } = "5.7.1";

    /// <summary>Reason text; null: a reason naming the missing certificate or key is generated.</summary>
    public string? Reason { get; init; }
}

/// <summary>Defer the recipient's copy; Exchange retries later (until its message expiration).</summary>
public sealed class DeferFallback : FallbackStep
{
    /// <summary>How long until the retry.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// INSECURE opt-in: deliver in plain text, unprotected. Only ever used when an administrator wrote it explicitly;
/// every use logs a warning event.
/// </summary>
public sealed class DeliverInPlainTextInsecureFallback : FallbackStep
{
}

/// <summary>For SignSmime only: deliver without a signature (not a leak: the content was never to be hidden).</summary>
public sealed class DeliverUnsignedFallback : FallbackStep
{
}
