using System.IO;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Tool.Pki;

/// <summary>A generated certificate with its key pair, and the file formats other tools read.</summary>
internal sealed class IssuedCertificate
{
    public IssuedCertificate(X509Certificate certificate, AsymmetricCipherKeyPair keyPair)
    {
        Certificate = certificate;
        KeyPair = keyPair;
    }

    public X509Certificate Certificate { get; }

    public AsymmetricCipherKeyPair KeyPair { get; }

    /// <summary>The certificate as PEM.</summary>
    public string CertificatePem => ToPem(Certificate);

    /// <summary>The private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), as openssl writes it.</summary>
    public string PrivateKeyPem => ToPem(new Pkcs8Generator(KeyPair.Private).Generate());

    /// <summary>A PKCS#12 file with the key and the certificate chain (BouncyCastle's default algorithms).</summary>
    public byte[] ToPfx(string password, string friendlyName, params X509Certificate[] chain)
    {
        var store = new Pkcs12StoreBuilder().Build();
        var entries = new X509CertificateEntry[chain.Length + 1];
        entries[0] = new X509CertificateEntry(Certificate);
        for (var i = 0; i < chain.Length; i++)
        {
            entries[i + 1] = new X509CertificateEntry(chain[i]);
        }

        store.SetKeyEntry(friendlyName, new AsymmetricKeyEntry(KeyPair.Private), entries);
        using var output = new MemoryStream();
        store.Save(output, password.ToCharArray(), new SecureRandom());
        return output.ToArray();
    }

    public static string ToPem(object value)
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text))
        {
            var pem = new PemWriter(writer);
            pem.WriteObject(value);
        }

        return text.ToString();
    }
}
