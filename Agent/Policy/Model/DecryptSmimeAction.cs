using System;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>DecryptSmime: decrypt S/MIME addressed to an organisation key, for internal recipients only.</summary>
public sealed class DecryptSmimeAction : PolicyAction
{
    /// <summary>Deliver decrypted, or keep the ciphertext.</summary>
    public DecryptedDelivery Deliver { get; init; } = DecryptedDelivery.Decrypted;

    /// <summary>Outcome for a message that cannot be decrypted.</summary>
    public InboundFailureAction OnFailure { get; init; } = InboundFailureAction.PassThrough;

    /// <summary>What decrypted CBC content without a valid signature inside the encryption becomes.</summary>
    internal UnsignedCbcContent UnsignedCbcContent { get; init; } = UnsignedCbcContent.Attachment;
}
