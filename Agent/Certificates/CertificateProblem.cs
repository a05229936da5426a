using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Why a certificate is not usable.</summary>
internal enum CertificateProblem
{
    /// <summary>Usable.</summary>
    None,
    /// <summary>notBefore is in the future.</summary>
    NotYetValid,
    /// <summary>notAfter has passed.</summary>
    Expired,
    /// <summary>No chain to a configured trust anchor.</summary>
    Untrusted,
    /// <summary>Key usage does not allow the purpose.</summary>
    WrongKeyUsage,
    /// <summary>Extended key usage present without emailProtection or anyExtendedKeyUsage.</summary>
    WrongExtendedKeyUsage,
    /// <summary>Revoked by a CRL.</summary>
    Revoked,
    /// <summary>No CRL covers it and the policy treats unknown as unusable.</summary>
    RevocationUnknown,
    /// <summary>The certificate does not name the address it is used for.</summary>
    AddressMismatch,
    /// <summary>The key algorithm or size is not supported (RSA 2048–4096 only for now).</summary>
    UnsupportedKey,
}
