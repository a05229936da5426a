using System.Collections.Generic;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>What a walk found.</summary>
internal sealed class WalkResult
{
    /// <summary>Every signed layer, outside in (only those checked: VerifySmime applies, or directly inside CBC).</summary>
    public List<SignedLayer> SignedLayers { get; } = new();

    /// <summary>Every layer decrypted without integrity protection (enveloped-data), outside in.</summary>
    public List<CbcDecryption> CbcDecryptions { get; } = new();

    /// <summary>The entity to deliver (after the innermost decryption), or null when nothing was decrypted.</summary>
    public MimeSlice? Delivered { get; set; }

    /// <summary>When the delivered entity is an embedded message presented as top level (RFC 8551 §3.1).</summary>
    public MimeSlice? PresentedMessage { get; set; }

    public int DecryptedLayers { get; set; }

    public bool NotForUs { get; set; }

    public bool Failed { get; set; }

    public bool TooDeep { get; set; }
}
