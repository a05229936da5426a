using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// The RFC 8550 checks on a signer certificate that MimeKit leaves out (smime-notes §0 #4). They are done here even
/// though the certificate validator checks usage too: a verdict of "valid" must never rest on another component
/// remembering them.
/// </summary>
internal static class SignerCertificatePolicy
{
    /// <summary>Key usage and extended key usage for signing mail.</summary>
    public static SignatureProblem CheckUsage(X509Certificate certificate)
    {
        // §4.4.2: without digitalSignature or nonRepudiation the signature MUST NOT be accepted. BC's bit order:
        // [0] digitalSignature, [1] nonRepudiation (contentCommitment).
        var keyUsage = certificate.GetKeyUsage();
        if (keyUsage is not null && !(keyUsage.Length > 0 && keyUsage[0]) && !(keyUsage.Length > 1 && keyUsage[1]))
        {
            return SignatureProblem.KeyUsage;
        }

        // §4.4.4: when EKU is present it MUST contain emailProtection or anyExtendedKeyUsage.
        var extendedKeyUsage = certificate.GetExtendedKeyUsage();
        if (extendedKeyUsage is not null
            && !extendedKeyUsage.Contains(KeyPurposeID.id_kp_emailProtection)
            && !extendedKeyUsage.Contains(KeyPurposeID.AnyExtendedKeyUsage))
        {
            return SignatureProblem.ExtendedKeyUsage;
        }

        return SignatureProblem.None;
    }

    /// <summary>
    /// The mail addresses a certificate names: subjectAltName rfc822Name entries, then emailAddress attributes of the
    /// subject DN, which receivers MUST also recognise (RFC 8550 §3).
    /// </summary>
    public static IReadOnlyList<string> Addresses(X509Certificate certificate)
    {
        var addresses = new List<string>();
        var altNames = certificate.GetSubjectAlternativeNameExtension();
        if (altNames is not null)
        {
            foreach (var name in altNames.GetNames())
            {
                if (name.TagNo == GeneralName.Rfc822Name && name.Name is IAsn1String text)
                {
                    addresses.Add(text.GetString());
                }
            }
        }

        foreach (var value in certificate.SubjectDN.GetValueList(X509Name.EmailAddress))
        {
            addresses.Add(value);
        }

        return addresses;
    }

    /// <summary>
    /// The first of <paramref name="senderAddresses"/> (From mailboxes and Sender) that the certificate names,
    /// compared case-insensitively, or null.
    /// </summary>
    public static string? MatchSender(IReadOnlyList<string> certificateAddresses, IEnumerable<string> senderAddresses)
    {
        foreach (var sender in senderAddresses)
        {
            foreach (var address in certificateAddresses)
            {
                if (string.Equals(sender.Trim(), address.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return address.Trim();
                }
            }
        }

        return null;
    }
}
