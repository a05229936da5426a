using System;
using System.Security.Cryptography;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// AES-CBC with PKCS#7 padding (RFC 5652 §6.3, RFC 3565) from the platform (OpenSSL on Linux, CNG on Windows), for
/// EnvelopedData written and read. One AES object per thread, used only to make encryptors and decryptors with an
/// explicit key and IV: the key goes straight to the platform's cipher context and is never stored in the object, so
/// nothing of a message outlives it here. Creating one per message showed at 5 % of a small message in the profile.
/// </summary>
internal static class PlatformAesCbc
{
    [ThreadStatic]
    private static Aes? _aes;

    public static ICryptoTransform Encryptor(byte[] key, byte[] iv) => Instance.CreateEncryptor(key, iv);

    /// <summary>
    /// A decryptor that holds back the last block of each call until the final one, where it checks and removes the
    /// padding (a bad padding throws <see cref="CryptographicException"/>).
    /// </summary>
    public static ICryptoTransform Decryptor(byte[] key, byte[] iv) => Instance.CreateDecryptor(key, iv);

    private static Aes Instance
    {
        get
        {
            var aes = _aes;
            if (aes is null)
            {
                aes = Aes.Create();
                aes.Mode = CipherMode.CBC;
                aes.Padding = PaddingMode.PKCS7;
                _aes = aes;
            }

            return aes;
        }
    }
}
