using System;
using System.Collections.Generic;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>The result of checking one signed layer (the best of its SignerInfos).</summary>
internal sealed class SignatureCheck
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
