using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>Reads certificates, CRLs and keys from PEM, DER and PKCS#12 files.</summary>
internal static class CertificateFiles
{
    /// <summary>File extensions read from a certificate folder.</summary>
    public static readonly string[] CertificateExtensions = { ".crt", ".cer", ".pem", ".der" };

    /// <summary>File extensions read from a CRL folder.</summary>
    public static readonly string[] CrlExtensions = { ".crl", ".pem", ".der" };

    /// <summary>File extensions read as PKCS#12 from a key folder.</summary>
    public static readonly string[] Pkcs12Extensions = { ".pfx", ".p12" };

    /// <summary>Every certificate in a PEM file (any number of blocks; other blocks ignored), a DER certificate or a PKCS#7 bundle.</summary>
    public static IReadOnlyList<BcCertificate> ReadCertificates(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (IsPem(bytes))
        {
            return ReadPemObjects(bytes, null).OfType<BcCertificate>().ToList();
        }

        var certificates = new X509CertificateParser().ReadCertificates(bytes).ToList();
        if (certificates.Count == 0)
        {
            throw new InvalidDataException("no certificate found");
        }

        return certificates;
    }

    /// <summary>Every CRL in a PEM or DER file.</summary>
    public static IReadOnlyList<X509Crl> ReadCrls(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var crls = IsPem(bytes)
            ? ReadPemObjects(bytes, null).OfType<X509Crl>().ToList()
            : new X509CrlParser().ReadCrls(bytes).ToList();
        if (crls.Count == 0)
        {
            throw new InvalidDataException("no CRL found");
        }

        return crls;
    }

    /// <summary>A PEM private key: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 (with a password) or PKCS#1 ("RSA PRIVATE KEY").</summary>
    public static AsymmetricKeyParameter ReadPrivateKey(string path, string? password)
    {
        var bytes = File.ReadAllBytes(path);
        if (!IsPem(bytes))
        {
            return PrivateKeyFactory.CreateKey(bytes);
        }

        foreach (var item in ReadPemObjects(bytes, password))
        {
            switch (item)
            {
                case AsymmetricCipherKeyPair pair:
                    return pair.Private;
                case AsymmetricKeyParameter { IsPrivate: true } key:
                    return key;
            }
        }

        throw new InvalidDataException("no private key found");
    }

    /// <summary>All objects of a PEM file that has both certificates and a key (either order).</summary>
    public static IReadOnlyList<object> ReadPem(string path, string? password) => ReadPemObjects(File.ReadAllBytes(path), password);

    /// <summary>The first line of a password file (never logged).</summary>
    public static string ReadPassword(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return reader.ReadLine() ?? string.Empty;
    }

    /// <summary>
    /// The keys and certificates of a PKCS#12 file. Keys are paired with certificates by public key, never by
    /// friendly name: BouncyCastle's Pkcs12Store keys entries by alias, so two keys under one friendlyName (RFC 9216's
    /// alice.p12) collide and the signing key gets paired with the encryption certificate (smime-notes §0 #6).
    /// </summary>
    public static IReadOnlyList<KeyWithCertificates> ReadPkcs12(string path, string password)
    {
        var bytes = File.ReadAllBytes(path);
        // Exportable: BouncyCastle needs the key material. EphemeralKeySet: nothing is written to a key store on disk.
        const X509KeyStorageFlags flags = X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet;
#if NET9_0_OR_GREATER
        var collection = X509CertificateLoader.LoadPkcs12Collection(bytes, password, flags);
#else
        var collection = new X509Certificate2Collection();
        collection.Import(bytes, password, flags);
#endif
        try
        {
            var certificates = new List<BcCertificate>();
            var keys = new List<AsymmetricKeyParameter>();
            foreach (var certificate in collection)
            {
                certificates.Add(new X509CertificateParser().ReadCertificate(certificate.RawData));
                using var rsa = certificate.GetRSAPrivateKey();
                if (rsa is not null)
                {
                    var key = DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(includePrivateParameters: true)).Private;
                    if (!keys.Any(k => SamePublicKey(k, key)))
                    {
                        keys.Add(key);
                    }
                }
            }

            return PairByPublicKey(keys, certificates);
        }
        finally
        {
            foreach (var certificate in collection)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Pairs each key with the certificates whose public key is its public half.</summary>
    public static IReadOnlyList<KeyWithCertificates> PairByPublicKey(IEnumerable<AsymmetricKeyParameter> keys, IReadOnlyList<BcCertificate> certificates)
    {
        var result = new List<KeyWithCertificates>();
        foreach (var key in keys)
        {
            var matching = certificates.Where(c => SamePublicKey(key, c.GetPublicKey())).ToList();
            var others = certificates.Where(c => !matching.Contains(c)).ToList();
            result.Add(new KeyWithCertificates(key, matching, others));
        }

        return result;
    }

    /// <summary>True when two RSA keys (private or public) share modulus and public exponent.</summary>
    public static bool SamePublicKey(AsymmetricKeyParameter a, AsymmetricKeyParameter b)
    {
        var left = PublicPart(a);
        var right = PublicPart(b);
        return left is not null && right is not null && left.Modulus.Equals(right.Modulus) && left.Exponent.Equals(right.Exponent);
    }

    private static RsaKeyParameters? PublicPart(AsymmetricKeyParameter key) => key switch
    {
        RsaPrivateCrtKeyParameters crt => new RsaKeyParameters(false, crt.Modulus, crt.PublicExponent),
        RsaKeyParameters { IsPrivate: false } rsa => rsa,
        _ => null,
    };

    private static bool IsPem(byte[] bytes)
    {
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 4096));
        return head.Contains("-----BEGIN ");
    }

    private static List<object> ReadPemObjects(byte[] bytes, string? password)
    {
        var objects = new List<object>();
        using var text = new StringReader(Encoding.ASCII.GetString(bytes));
        var reader = new PemReader(text, password is null ? null : new PasswordFinder(password));
        object? item;
        while ((item = reader.ReadObject()) is not null)
        {
            objects.Add(item);
        }

        return objects;
    }

    private sealed class PasswordFinder : IPasswordFinder
    {
        private readonly string _password;

        public PasswordFinder(string password) => _password = password;

        public char[] GetPassword() => _password.ToCharArray();
    }
}
