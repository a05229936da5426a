using System;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>What the pipeline asks of <see cref="InboundSmimeTransform"/> for one message.</summary>
internal sealed class InboundSmimeOptions
{
    /// <summary>DecryptSmime, when a rule asks for it (only ever for internal recipients: the pipeline decides); null: nothing is decrypted.</summary>
    public DecryptSmimeAction? Decrypt { get; init; }

    /// <summary>VerifySmime, when a rule asks for it; null: signatures are not judged and X-EEA-Signature is not stamped.</summary>
    public VerifySmimeAction? Verify { get; init; }

    /// <summary>When the organisation received the message: certificate validity is judged at this time (not at the signer's signingTime).</summary>
    public DateTime ReceivedUtc { get; init; } = DateTime.UtcNow;

    /// <summary>PolicySettings.MaxSmimeNestingDepth: the most S/MIME layers (signed or encrypted) processed.</summary>
    public int MaxNestingDepth { get; init; } = 4;

    /// <summary>The Message-ID or host identifier, for events only.</summary>
    public string? MessageId { get; init; }

    /// <summary>
    /// Where the temporary files plaintext passes through come from: the runtime's one factory (the engine always sets
    /// it); null: memory (callers without a runtime).
    /// </summary>
    public TemporaryFileFactory? TemporaryFiles { get; init; }
}
