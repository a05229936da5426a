using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace ExchangeEncryptionAgent.Tool.Pki;

/// <summary>
/// Issues test and demo certificates and CRLs in code, with fixed, declared validity, so nothing expires under CI.
/// RSA only (MimeKit/BouncyCastle interoperate with OpenSSL and gpgsm only for RSA today).
/// </summary>
internal static class PkiBuilder
{
    private static readonly SecureRandom Random = new();
    private static long _serial = DateTime.UtcNow.Ticks;

    /// <summary>Generates an RSA key pair (slow: reuse it where a test does not care about distinct keys).</summary>
    public static AsymmetricCipherKeyPair GenerateKeyPair(int bits = 2048)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(Random, bits));
        return generator.GenerateKeyPair();
    }

    /// <summary>A self-signed root CA.</summary>
    public static IssuedCertificate CreateRoot(string subject, DateTime? notBefore = null, DateTime? notAfter = null, AsymmetricCipherKeyPair? keyPair = null)
    {
        var spec = new CertificateSpec
        {
            Subject = subject,
            IsCertificateAuthority = true,
            KeyUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign,
            ExtendedKeyUsages = null,
            NotBefore = notBefore ?? DateTime.UtcNow.AddDays(-1),
            NotAfter = notAfter ?? DateTime.UtcNow.AddYears(10),
            KeyPair = keyPair,
        };
        return Issue(null, spec);
    }

    /// <summary>Issues <paramref name="spec"/>, signed by <paramref name="issuer"/> (null: self-signed).</summary>
    public static IssuedCertificate Issue(IssuedCertificate? issuer, CertificateSpec spec)
    {
        var keyPair = spec.KeyPair ?? GenerateKeyPair(spec.KeySize);
        var subject = BuildSubject(spec);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(System.Threading.Interlocked.Increment(ref _serial)));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer?.Certificate.SubjectDN ?? subject);
        generator.SetNotBefore(spec.NotBefore);
        generator.SetNotAfter(spec.NotAfter);
        generator.SetPublicKey(keyPair.Public);
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(keyPair.Public));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
            X509ExtensionUtilities.CreateAuthorityKeyIdentifier((issuer?.KeyPair ?? keyPair).Public));
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(spec.IsCertificateAuthority));
        if (spec.KeyUsage is int usage)
        {
            // RFC 8550 §4.4.2: KeyUsage, when present, MUST be critical.
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
        }

        if (spec.ExtendedKeyUsages is { Count: > 0 } purposes)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(purposes.Select(p => KeyPurposeID.GetInstance(p)).ToArray()));
        }

        var altNames = spec.Emails.Select(e => new GeneralName(GeneralName.Rfc822Name, e))
            .Concat(spec.DnsNames.Select(d => new GeneralName(GeneralName.DnsName, d)))
            .ToArray();
        if (altNames.Length > 0)
        {
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(altNames));
        }

        var signer = new Asn1SignatureFactory("SHA256WITHRSA", (issuer?.KeyPair ?? keyPair).Private, Random);
        return new IssuedCertificate(generator.Generate(signer), keyPair);
    }

    /// <summary>A CRL from <paramref name="issuer"/> revoking <paramref name="revoked"/>.</summary>
    public static X509Crl CreateCrl(IssuedCertificate issuer, IEnumerable<X509Certificate> revoked, DateTime? thisUpdate = null, DateTime? nextUpdate = null)
    {
        var generator = new X509V2CrlGenerator();
        var now = thisUpdate ?? DateTime.UtcNow.AddHours(-1);
        generator.SetIssuerDN(issuer.Certificate.SubjectDN);
        generator.SetThisUpdate(now);
        generator.SetNextUpdate(nextUpdate ?? now.AddDays(30));
        foreach (var certificate in revoked)
        {
            generator.AddCrlEntry(certificate.SerialNumber, now, CrlReason.KeyCompromise);
        }

        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
            X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer.KeyPair.Public));
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(System.Threading.Interlocked.Increment(ref _serial))));
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", issuer.KeyPair.Private, Random));
    }

    private static X509Name BuildSubject(CertificateSpec spec)
    {
        var name = new X509Name(spec.Subject);
        if (!spec.EmailInSubject || spec.Emails.Count == 0)
        {
            return name;
        }

        var oids = name.GetOidList().ToList();
        var values = name.GetValueList().ToList();
        oids.Add(X509Name.EmailAddress);
        values.Add(spec.Emails[0]);
        return new X509Name(oids, values);
    }
}
