using System;

namespace ExchangeEncryptionAgent.Policy.Model;

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
