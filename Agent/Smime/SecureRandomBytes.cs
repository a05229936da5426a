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
