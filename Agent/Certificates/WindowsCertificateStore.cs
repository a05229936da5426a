using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>
/// Reads a Windows certificate store (LocalMachine only: the transport service runs as Network Service/System and
/// has no user store worth reading). Compiled for both frameworks; on other systems every call fails with a clear
/// message, which the loader reports as a configuration error.
/// </summary>
internal static class WindowsCertificateStore
{
    public static bool IsAvailable => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>The certificates of the store (one when a thumbprint is given), without keys.</summary>
    public static IReadOnlyList<BcCertificate> ReadCertificates(CertificateSource source)
    {
        var result = new List<BcCertificate>();
        Read(source, certificate => result.Add(ToBouncyCastle(certificate)));
        return result;
    }

    /// <summary>The certificates that have a private key, with the key exported for BouncyCastle.</summary>
    public static IReadOnlyList<KeyWithCertificates> ReadKeys(CertificateSource source)
    {
        var result = new List<KeyWithCertificates>();
        Read(source, certificate =>
        {
            if (!certificate.HasPrivateKey)
            {
                return;
            }

            using var rsa = certificate.GetRSAPrivateKey()
                ?? throw new NotSupportedException($"the key of {certificate.Thumbprint} is not an RSA key");
            RSAParameters parameters;
            try
            {
                parameters = rsa.ExportParameters(includePrivateParameters: true);
            }
            catch (CryptographicException ex)
            {
                throw new CryptographicException(
                    $"the private key of {certificate.Thumbprint} is not exportable; import it with the exportable flag ({ex.Message})", ex);
            }

            var key = DotNetUtilities.GetRsaKeyPair(parameters).Private;
            result.Add(new KeyWithCertificates(key, new[] { ToBouncyCastle(certificate) }, Array.Empty<BcCertificate>()));
        });
        return result;
    }

    private static void Read(CertificateSource source, Action<X509Certificate2> visit)
    {
        if (!IsAvailable)
        {
            throw new PlatformNotSupportedException("Windows certificate store sources can only be read when the agent runs on Windows.");
        }

        if (!string.Equals(source.StoreLocation, "LocalMachine", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"store location '{source.StoreLocation}' is not supported; use LocalMachine");
        }

        using var store = new X509Store(source.StoreName ?? "My", StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var found = 0;
        foreach (var certificate in store.Certificates)
        {
            using (certificate)
            {
                if (source.Thumbprint is { Length: > 0 } wanted
                    && !string.Equals(certificate.Thumbprint, wanted.Replace(" ", string.Empty), StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                visit(certificate);
                found++;
            }
        }

        if (found == 0 && source.Thumbprint is { Length: > 0 })
        {
            throw new InvalidOperationException($"no certificate with thumbprint {source.Thumbprint} in LocalMachine\\{source.StoreName}");
        }
    }

    private static BcCertificate ToBouncyCastle(X509Certificate2 certificate) => new X509CertificateParser().ReadCertificate(certificate.RawData);
}
