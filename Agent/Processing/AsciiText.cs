using System.Linq;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>Keeps text safe for SMTP responses and NDRs: printable US-ASCII only.</summary>
public static class AsciiText
{
    /// <summary>Replaces anything outside 0x20–0x7E with '?' and bounds the length.</summary>
    public static string Sanitize(string text, int maxLength = 400)
    {
        Guard.NotNull(text);
        var chars = text.Select(c => c >= ' ' && c <= '~' ? c : '?').Take(maxLength).ToArray();
        return new string(chars);
    }
}
