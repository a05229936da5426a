using System;

namespace ExchangeEncryptionAgent.Policy.Model;

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
