using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace ExchangeApi.Simulator;

// RFC 2047 encoded words (=?charset?B|Q?text?=) in an unstructured header such as Subject. Charsets .NET does not know
// are left encoded rather than guessed.
internal static partial class EncodedWords
{
    public static string Decode(string value)
    {
        // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 section 6.2).
        var joined = AdjacentWords().Replace(value, "$1$2");
        return EncodedWord().Replace(joined, DecodeWord);
    }

    private static string DecodeWord(Match match)
    {
        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(match.Groups["charset"].Value.Split('*')[0]);
        }
        catch (ArgumentException)
        {
            return match.Value;
        }

        var text = match.Groups["text"].Value;
        try
        {
            var bytes = char.ToUpperInvariant(match.Groups["encoding"].Value[0]) == 'B'
                ? Convert.FromBase64String(text)
                : DecodeQ(text);
            return encoding.GetString(bytes);
        }
        catch (FormatException)
        {
            return match.Value;
        }
    }

    private static byte[] DecodeQ(string text)
    {
        using var bytes = new MemoryStream();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '_')
            {
                bytes.WriteByte((byte)' ');
            }
            else if (c == '=' && i + 2 < text.Length
                && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.WriteByte(value);
                i += 2;
            }
            else
            {
                bytes.WriteByte((byte)c);
            }
        }

        return bytes.ToArray();
    }

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<encoding>[bBqQ])\?(?<text>[^?]*)\?=", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"(\?=)\s+(=\?)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AdjacentWords();
}
