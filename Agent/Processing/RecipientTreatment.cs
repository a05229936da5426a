using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Everything decided for one recipient: rejected, or the copy they get (<see cref="CopyTreatment"/>: deferred, or
/// delivered with some header edits, maybe signed, encrypted, decrypted/verified, over forced TLS). Immutable.
/// </summary>
/// <param name="Address">The envelope address.</param>
/// <param name="IsInternal">Inside the organisation (the audit stamp on outside copies is opt-in).</param>
/// <param name="Decision">The policy's decision for the recipient (matched rules and their actions).</param>
/// <param name="Rejection">Set when the recipient is NDRed; <see cref="Copy"/> is then irrelevant.</param>
/// <param name="Copy">What the recipient's copy is; equal values share a copy.</param>
/// <param name="EncryptionCertificate">The recipient's own certificate when the copy is encrypted (the copy merges them).</param>
internal sealed record RecipientTreatment(
    string Address,
    bool IsInternal,
    RecipientDecision Decision,
    PlannedRejection? Rejection,
    CopyTreatment Copy,
    X509Certificate? EncryptionCertificate)
{
    public bool IsDelivered => Rejection is null && Copy.DeferFor is null;
}
