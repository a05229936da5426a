using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace ExchangeEncryptionAgent.Smime.Gcm;

/// <summary>Whether a RecipientIdentifier (RFC 5652 §6.2.1) names a certificate: issuer and serial number, or subject key identifier.</summary>
internal static class RecipientMatching
{
    public static bool Matches(RecipientIdentifier identifier, X509Certificate certificate)
    {
        if (identifier.IsTagged)
        {
            // [0] SubjectKeyIdentifier (version 2 RecipientInfo).
            var wanted = Asn1OctetString.GetInstance((Asn1TaggedObject)identifier.ID, false).GetOctets();
            var extension = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            if (extension is null)
            {
                return false;
            }

            var actual = SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(extension)).GetKeyIdentifier();
            return Org.BouncyCastle.Utilities.Arrays.FixedTimeEquals(wanted, actual);
        }

        var issuerAndSerial = IssuerAndSerialNumber.GetInstance(identifier.ID);
        return certificate.SerialNumber.Equals(issuerAndSerial.SerialNumber.Value)
            && certificate.IssuerDN.Equivalent(issuerAndSerial.Issuer);
    }
}
