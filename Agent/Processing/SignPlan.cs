using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// How one recipient's copy is signed. Two plans are equal when they sign with the same key (its name and its
/// certificate's thumbprint: two loads of one key file are different objects) in the same format.
/// </summary>
internal sealed record SignPlan(PrivateKeyEntry Key, SignatureFormat Format, SignatureDigest Digest, SignaturePadding Padding)
{
    private string Thumbprint => CertificateNames.Thumbprint(Key.Certificate);

    public bool Equals(SignPlan? other)
        => other is not null
           && string.Equals(Key.Name, other.Key.Name, System.StringComparison.Ordinal)
           && string.Equals(Thumbprint, other.Thumbprint, System.StringComparison.Ordinal)
           && Format == other.Format && Digest == other.Digest && Padding == other.Padding;

    public override int GetHashCode() => (Thumbprint, Format, Digest, Padding).GetHashCode();
}
