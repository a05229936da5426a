using System;
using ExchangeEncryptionAgent.Policy.Model;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;

namespace ExchangeEncryptionAgent.Smime.Gcm;

/// <summary>
/// The AES-GCM content-encryption algorithms of RFC 5084 §3.2 with the parameters we write: a 12-byte nonce (the
/// RFC's recommended length) and a 16-byte integrity check value (the longest allowed, what OpenSSL writes).
/// </summary>
internal sealed class GcmContentAlgorithm
{
    /// <summary>Nonce length we generate (RFC 5084 §3.2: "12 octets is RECOMMENDED").</summary>
    public const int NonceLength = 12;

    /// <summary>Tag (ICV) length we generate: 16 octets.</summary>
    public const int TagLength = 16;

    public static readonly GcmContentAlgorithm Aes128 = new(NistObjectIdentifiers.IdAes128Gcm, 16, "aes-128-gcm");
    public static readonly GcmContentAlgorithm Aes192 = new(NistObjectIdentifiers.IdAes192Gcm, 24, "aes-192-gcm");
    public static readonly GcmContentAlgorithm Aes256 = new(NistObjectIdentifiers.IdAes256Gcm, 32, "aes-256-gcm");

    private GcmContentAlgorithm(DerObjectIdentifier oid, int keyLength, string name)
    {
        Oid = oid;
        KeyLength = keyLength;
        Name = name;
    }

    public DerObjectIdentifier Oid { get; }

    public int KeyLength { get; }

    /// <summary>OpenSSL's name, used in logs and results.</summary>
    public string Name { get; }

    /// <summary>The algorithm for a policy choice; only the two GCM members are valid.</summary>
    public static GcmContentAlgorithm For(ContentEncryptionAlgorithm algorithm) => algorithm switch
    {
        ContentEncryptionAlgorithm.Aes128Gcm => Aes128,
        ContentEncryptionAlgorithm.Aes256Gcm => Aes256,
        _ => throw new ArgumentException($"{algorithm} is not an AES-GCM algorithm; AuthEnvelopedData needs Aes128Gcm or Aes256Gcm.", nameof(algorithm)),
    };

    /// <summary>The algorithm an AuthEnvelopedData names, or null for anything else (AES-192-GCM is read, never written).</summary>
    public static GcmContentAlgorithm? FromOid(DerObjectIdentifier oid)
    {
        if (Aes128.Oid.Equals(oid))
        {
            return Aes128;
        }

        if (Aes256.Oid.Equals(oid))
        {
            return Aes256;
        }

        return Aes192.Oid.Equals(oid) ? Aes192 : null;
    }
}
