using System;

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
}
