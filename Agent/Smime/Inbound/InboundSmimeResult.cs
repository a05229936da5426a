using System.Collections.Generic;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>What <see cref="InboundSmimeTransform"/> did to one message, for the pipeline's plan and its JSON.</summary>
internal sealed class InboundSmimeResult
{
    /// <summary>Null when DecryptSmime did not apply.</summary>
    public DecryptionOutcome? Decryption { get; internal set; }

    /// <summary>Null when VerifySmime did not apply; else the combined verdict over all signed layers.</summary>
    public SignatureStatus? Signature { get; internal set; }

    /// <summary>Why the signature is not valid (None when valid or absent).</summary>
    public SignatureProblem SignatureProblem { get; internal set; }

    /// <summary>The signer address of the verdict.</summary>
    public string? SignerAddress { get; internal set; }

    /// <summary>The signer certificate of the verdict (for certificate harvesting).</summary>
    public X509Certificate? SignerCertificate { get; internal set; }

    /// <summary>The configured key that decrypted the message.</summary>
    public string? DecryptionKeyName { get; internal set; }

    /// <summary>The content encryption of the innermost decrypted layer (aes-256-cbc, aes-128-gcm, des-ede3-cbc...).</summary>
    public string? ContentEncryption { get; internal set; }

    /// <summary>True when the delivered body is not the original one (decrypted content replaced it).</summary>
    public bool BodyReplaced { get; internal set; }

    /// <summary>True when the transform threw for OnFailure=Defer; nothing was written.</summary>
    public bool Deferred { get; internal set; }

    /// <summary>How many X-EEA-* header fields from outside were removed.</summary>
    public int ForgedHeadersRemoved { get; internal set; }

    /// <summary>The S/MIME layers met from the outside in, e.g. "multipart/signed", "enveloped-data aes-256-cbc".</summary>
    public IReadOnlyList<string> Layers => LayerList;

    internal List<string> LayerList { get; } = new();
}
