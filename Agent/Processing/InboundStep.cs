using System;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// The inbound S/MIME step for a recipient: decrypt, verify, or both. The policy's action objects compare by reference;
/// two steps are equal when every setting the inbound transform reads is equal.
/// </summary>
internal sealed record InboundStep(DecryptSmimeAction? Decrypt, VerifySmimeAction? Verify)
{
    public bool Equals(InboundStep? other)
        => other is not null && SameDecrypt(Decrypt, other.Decrypt) && SameVerify(Verify, other.Verify);

    public override int GetHashCode()
        => (Decrypt?.RuleName, Decrypt?.Deliver, Decrypt?.OnFailure, Decrypt?.UnsignedCbcContent,
            Verify?.RuleName, Verify?.ValidSubjectTag, Verify?.InvalidSubjectTag).GetHashCode();

    private static bool SameDecrypt(DecryptSmimeAction? a, DecryptSmimeAction? b)
        => ReferenceEquals(a, b)
           || (a is not null && b is not null && string.Equals(a.RuleName, b.RuleName, StringComparison.Ordinal)
               && a.Deliver == b.Deliver && a.OnFailure == b.OnFailure && a.UnsignedCbcContent == b.UnsignedCbcContent);

    private static bool SameVerify(VerifySmimeAction? a, VerifySmimeAction? b)
        => ReferenceEquals(a, b)
           || (a is not null && b is not null && string.Equals(a.RuleName, b.RuleName, StringComparison.Ordinal)
               && string.Equals(a.ValidSubjectTag, b.ValidSubjectTag, StringComparison.Ordinal)
               && string.Equals(a.InvalidSubjectTag, b.InvalidSubjectTag, StringComparison.Ordinal));
}
