using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>How certificates are named in logs and NDR text, and which addresses and domains they speak for.</summary>
public static class CertificateNames
{
    // Validation results are cached by thumbprint: compute each certificate's once.
    private static readonly ConditionalWeakTable<X509Certificate, string> Thumbprints = new();

    /// <summary>The SHA-1 thumbprint in upper-case hex, as Windows shows it (an identifier, not a security check).</summary>
    public static string Thumbprint(X509Certificate certificate)
        => Thumbprints.GetValue(Guard.NotNull(certificate), ComputeThumbprint);

    private static string ComputeThumbprint(X509Certificate certificate)
    {
        var encoded = certificate.GetEncoded();
        var digest = new Sha1Digest();
        digest.BlockUpdate(encoded, 0, encoded.Length);
        var hash = new byte[digest.GetDigestSize()];
        digest.DoFinal(hash, 0);
        return Hex.Upper(hash);
    }

    /// <summary>"'CN=Alice,O=Contoso' (thumbprint 1A2B...)": ASCII only, safe in an NDR and the event log.</summary>
    public static string Describe(X509Certificate certificate)
        => "'" + ToAscii(Guard.NotNull(certificate).SubjectDN.ToString()) + "' (thumbprint " + Thumbprint(certificate) + ")";

    /// <summary>Replaces anything but printable ASCII with '?', so text is safe for NDRs (RFC 3464 text is ASCII).</summary>
    public static string ToAscii(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text!.Length);
        foreach (var c in text)
        {
            builder.Append(c >= 0x20 && c <= 0x7e ? c : '?');
        }

        return builder.ToString();
    }

    /// <summary>
    /// The email addresses a certificate speaks for: subjectAltName rfc822Name and the emailAddress attribute of the
    /// subject DN (RFC 8550 §3: receivers MUST recognise both), lower-case.
    /// </summary>
    public static IReadOnlyList<string> EmailAddresses(X509Certificate certificate)
    {
        Guard.NotNull(certificate);
        var addresses = new List<string>();
        addresses.AddRange(AltNames(certificate, GeneralName.Rfc822Name));
        addresses.AddRange(certificate.SubjectDN.GetValueList(X509Name.EmailAddress));
        return addresses.Select(NormalizeAddress).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The subjectAltName dNSName entries (gateway certificates), lower-case.</summary>
    public static IReadOnlyList<string> DnsNames(X509Certificate certificate)
        => AltNames(Guard.NotNull(certificate), GeneralName.DnsName).Select(NormalizeDomain).Where(d => d.Length > 0)
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>True when the certificate names <paramref name="address"/> (case-insensitive; RFC 8550 §3).</summary>
    public static bool NamesAddress(X509Certificate certificate, string address)
        => EmailAddresses(certificate).Contains(NormalizeAddress(address), StringComparer.Ordinal);

    /// <summary>Trimmed, lower-case (invariant) address. Local parts are compared case-insensitively, as Exchange does.</summary>
    public static string NormalizeAddress(string address) => (address ?? string.Empty).Trim().Trim('<', '>').ToLowerInvariant();

    /// <summary>Trimmed, lower-case domain without a trailing dot.</summary>
    public static string NormalizeDomain(string domain) => (domain ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>The domain part of an address (after the last '@'), normalised; empty when there is none.</summary>
    public static string DomainOf(string address)
    {
        var normalized = NormalizeAddress(address);
        var at = normalized.LastIndexOf('@');
        return at < 0 ? string.Empty : NormalizeDomain(normalized.Substring(at + 1));
    }

    private static IEnumerable<string> AltNames(X509Certificate certificate, int tag)
    {
        var names = certificate.GetSubjectAlternativeNames();
        if (names is null)
        {
            yield break;
        }

        foreach (var entry in names)
        {
            if (entry.Count >= 2 && entry[0] is int kind && kind == tag && entry[1] is string value)
            {
                yield return value;
            }
        }
    }
}
