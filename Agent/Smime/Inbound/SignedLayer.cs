using System.Collections.Generic;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// One signed layer as the walk found it: the checks of its SignerInfos before they are bound to a From (the From
/// the reader finally sees is only known once the walk is over), and whether unsigned parts sit beside the signed one.
/// </summary>
internal sealed class SignedLayer
{
    public SignedLayer(IReadOnlyList<SignatureCheck> signers, bool unsignedParts, MimeSlice? presentedMessage)
    {
        Signers = signers;
        UnsignedParts = unsignedParts;
        PresentedMessage = presentedMessage;
    }

    /// <summary>One unbound check per SignerInfo (or one Invalid check for a layer that could not be read).</summary>
    public IReadOnlyList<SignatureCheck> Signers { get; }

    /// <summary>
    /// A multipart/signed with more than two body parts: the extra parts are not covered by the signature (RFC 1847
    /// §2.1 defines exactly two), yet a client shows them as part of the message.
    /// </summary>
    public bool UnsignedParts { get; }

    /// <summary>The embedded message that was presented when this layer was met (null: none), for the From binding.</summary>
    public MimeSlice? PresentedMessage { get; }

    public static SignedLayer Failed(SignatureProblem problem, MimeSlice? presentedMessage)
        => new(new[] { SignatureCheck.Invalid(problem) }, false, presentedMessage);

    /// <summary>The layer's verdict against the identity the reader sees: the best SignerInfo, bound to that From.</summary>
    public SignatureCheck Verdict(SenderIdentity shown)
    {
        SignatureCheck? best = null;
        foreach (var signer in Signers)
        {
            var bound = signer.BindTo(shown);
            if (best is null || bound.Rank > best.Rank)
            {
                best = bound;
            }
        }

        // RFC 5652 §5.1 allows several signers; one valid signature is enough (RFC 8551 §3.5: receivers choose).
        best ??= SignatureCheck.Invalid(SignatureProblem.Malformed);
        return UnsignedParts && best.Rank >= 2
            ? SignatureCheck.Invalid(SignatureProblem.UnsignedParts, best.SignerAddress, best.SignerCertificate)
            : best;
    }
}
