using System;
using System.Security.Cryptography;

namespace ExchangeEncryptionAgent;

/// <summary>Hexadecimal text on both frameworks (Convert.ToHexString does not exist on net48).</summary>
internal static class Hex
{
    public static string Upper(byte[] bytes)
    {
#if NET
        return Convert.ToHexString(bytes);
#else
        return BitConverter.ToString(bytes).Replace("-", string.Empty);
#endif
    }

    /// <summary>The SHA-256 of <paramref name="bytes"/> as upper-case hex: a cache key no sender can make collide.</summary>
    public static string Sha256(byte[] bytes)
    {
#if NET
        return Upper(SHA256.HashData(bytes));
#else
        using var sha = SHA256.Create();
        return Upper(sha.ComputeHash(bytes));
#endif
    }
}
