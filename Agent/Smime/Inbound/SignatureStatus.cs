using System;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>The verdict on an S/MIME signature, as stamped in X-EEA-Signature (docs/headers.md).</summary>
internal enum SignatureStatus
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
