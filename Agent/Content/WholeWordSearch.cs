using System;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Whole-word, case-insensitive search without regular expressions (vectorised IndexOf on .NET 10). A phrase
/// ("strictly confidential") matches its words separated by any run of whitespace or control characters, so the
/// text never needs a normalised copy.
/// </summary>
internal static class WholeWordSearch
{
    /// <summary>
    /// True when <paramref name="word"/> occurs in <paramref name="text"/> with no letter or digit glued to either end.
    /// A word that starts or ends with punctuation ("[secure]") needs no boundary on that side. Spaces inside
    /// <paramref name="word"/> match any whitespace run.
    /// </summary>
    public static bool Contains(string text, string word)
    {
        Guard.NotNull(text);
        var tokens = Guard.NotNull(word).Split(Space, StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length > 0 && Contains(text, tokens);
    }

    /// <summary>Searches for the phrase made of <paramref name="tokens"/> (one token: a single word).</summary>
    internal static bool Contains(string text, string[] tokens)
    {
        var first = tokens[0];
        var last = tokens[tokens.Length - 1];
        var needsLeft = IsWordChar(first[0]);
        var needsRight = IsWordChar(last[last.Length - 1]);
        var start = 0;
        while (start <= text.Length - first.Length)
        {
            var index = text.IndexOf(first, start, StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                return false;
            }

            start = index + 1;
            if (needsLeft && index > 0 && IsWordChar(text[index - 1]))
            {
                continue;
            }

            var end = MatchRest(text, index + first.Length, tokens);
            if (end >= 0 && (!needsRight || end == text.Length || !IsWordChar(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>After the first token: separators then each further token. Returns the end of the phrase, or -1.</summary>
    private static int MatchRest(string text, int position, string[] tokens)
    {
        for (var t = 1; t < tokens.Length; t++)
        {
            var separatorStart = position;
            while (position < text.Length && TextNormalizer.IsSeparator(text[position]))
            {
                position++;
            }

            var token = tokens[t];
            if (position == separatorStart || position + token.Length > text.Length
                || string.Compare(text, position, token, 0, token.Length, StringComparison.OrdinalIgnoreCase) != 0)
            {
                return -1;
            }

            position += token.Length;
        }

        return position;
    }

    private static readonly char[] Space = { ' ' };

    private static bool IsWordChar(char c) => c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') : char.IsLetterOrDigit(c);
}
