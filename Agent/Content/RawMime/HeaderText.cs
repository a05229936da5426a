using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// The one place header text is turned into bytes and back: ASCII checks, RFC 2047 encoded-words, folding. Every field
/// the agent writes (stamps, SetHeader, Subject tags and placeholders) goes through <see cref="Encode"/>, so none can
/// carry a line break from configuration or a raw 8-bit byte.
/// </summary>
internal static class HeaderText
{
    /// <summary>RFC 5322 §2.1.1: a line must not exceed 998 characters; shorter ASCII values are written as they are.</summary>
    private const int MaxLineLength = 998;

    /// <summary>True when every character is printable US-ASCII (space to tilde).</summary>
    public static bool IsPrintableAscii(string text)
    {
        foreach (var c in Guard.NotNull(text))
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The raw value of a field <paramref name="name"/> holding <paramref name="value"/>, from the byte after the colon
    /// up to (not including) the final line ending: printable ASCII as it is (trimmed); anything else (non-ASCII, very
    /// long) encoded and folded by MimeKit, UTF-8 encoded-words where needed (RFC 2047), folded lines ending in
    /// <paramref name="lineEnding"/>. CR and LF in the value become spaces: a value never starts a new field.
    /// </summary>
    public static string Encode(string name, string value, string lineEnding)
    {
        value = Guard.NotNull(value).Replace('\r', ' ').Replace('\n', ' ').Trim();
        if (IsPrintableAscii(value) && name.Length + 2 + value.Length <= MaxLineLength)
        {
            return value.Length == 0 ? string.Empty : " " + value;
        }

        var header = new Header(Encoding.UTF8, name, value);
        return Encoding.ASCII.GetString(header.RawValue).Replace("\r\n", "\n").TrimEnd('\n').Replace("\n", lineEnding);
    }

    /// <summary>The text of a raw, unfolded value: RFC 2047 encoded-words decoded, 8-bit bytes read as UTF-8 or Latin-1.</summary>
    public static string Decode(byte[] unfoldedValue) => Rfc2047.DecodeText(ParserOptions.Default, unfoldedValue).Trim();
}
