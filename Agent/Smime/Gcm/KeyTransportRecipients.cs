using System;
using System.Collections.Generic;
using ExchangeEncryptionAgent.Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace ExchangeEncryptionAgent.Smime.Gcm;

/// <summary>
/// Reads the RecipientInfos of an EnvelopedData or AuthEnvelopedData (RFC 5652 §6.2) and decrypts the content key
/// of each one that names a configured key. Only key transport (RSA) is ours; key agreement, KEK and password
/// recipients are skipped.
/// </summary>
internal static class KeyTransportRecipients
{
    /// <summary>
    /// The (key, content key) pairs that unwrapped, in RecipientInfo order. <paramref name="namedUs"/> is true when any
    /// RecipientInfo named a configured certificate, even if its key then failed (wrong key, bad padding): a failure,
    /// not "not for us".
    /// </summary>
    public static List<(PrivateKeyEntry Key, byte[] ContentKey)> Unwrap(Asn1SetParser recipientInfos, IReadOnlyList<PrivateKeyEntry> keys, out bool namedUs)
    {
        namedUs = false;
        var result = new List<(PrivateKeyEntry, byte[])>();
        IAsn1Convertible? element;
        while ((element = recipientInfos.ReadObject()) is not null)
        {
            var recipientInfo = RecipientInfo.GetInstance(element.ToAsn1Object());
            if (recipientInfo.IsTagged || recipientInfo.Info is not KeyTransRecipientInfo keyTransport)
            {
                continue;
            }

            foreach (var key in keys)
            {
                if (!RecipientMatching.Matches(keyTransport.RecipientIdentifier, key.Certificate))
                {
                    continue;
                }

                namedUs = true;
                try
                {
                    result.Add((key, RsaKeyTransport.Unwrap(keyTransport, key.PrivateKey)));
                }
                catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
                {
                    // Try the next key; the overall outcome stays one uniform failure if none works.
                }
            }
        }

        return result;
    }

    /// <summary>Reads past the RecipientInfos (second pass over the same CMS).</summary>
    public static void Skip(Asn1SetParser recipientInfos)
    {
        while (recipientInfos.ReadObject() is { } element)
        {
            element.ToAsn1Object();
        }
    }
}
