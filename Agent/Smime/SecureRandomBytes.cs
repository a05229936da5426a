using System;
using System.Security.Cryptography;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Random bytes from the platform's CSPRNG without making a generator per call (creating and disposing one per
/// message showed in the small-message profile). On .NET the static Fill; on .NET Framework one shared provider,
/// whose GetBytes is thread-safe.
/// </summary>
internal static class SecureRandomBytes
{
#if !NET
    private static readonly RandomNumberGenerator Generator = RandomNumberGenerator.Create();
#endif

    /// <summary>
    /// Fills <paramref name="first"/> and <paramref name="second"/> (a content key and its IV) from one draw; the
    /// stack copy is cleared before it is left.
    /// </summary>
    public static void Fill(byte[] first, byte[] second)
    {
#if NET
        Span<byte> both = stackalloc byte[first.Length + second.Length];
        RandomNumberGenerator.Fill(both);
        both.Slice(0, first.Length).CopyTo(first);
        both.Slice(first.Length).CopyTo(second);
        CryptographicOperations.ZeroMemory(both);
#else
        Generator.GetBytes(first);
        Generator.GetBytes(second);
#endif
    }

    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    public static void Fill(byte[] buffer)
    {
#if NET
        RandomNumberGenerator.Fill(buffer);
#else
        Generator.GetBytes(buffer);
#endif
    }
}
