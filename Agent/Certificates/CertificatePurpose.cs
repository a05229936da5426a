using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Certificates;

/// <summary>What a certificate is about to be used for; decides the key-usage and EKU checks.</summary>
internal enum CertificatePurpose
{
    /// <summary>Encrypt to it: keyEncipherment (RSA); EKU emailProtection or anyExtendedKeyUsage when present.</summary>
    Encryption,
    /// <summary>Sign with it: digitalSignature or nonRepudiation; EKU as above.</summary>
    Signing,
}
