using System;
using System.Text;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Text as conditions see it: every run of whitespace (and control characters such as NUL) becomes one space, so a
/// phrase in the policy matches across line breaks and folding. Applied once per text, never per condition.
/// </summary>
public static class TextNormalizer
{
    /// <summary>The longest value reported as a matched value.</summary>
    public const int MaxExcerptLength = 200;

    /// <summary>Collapses whitespace and control-character runs to single spaces and trims the ends.</summary>
    public static string CollapseWhitespace(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsCollapsing(text!))
        {
            return text!;
        }

        var builder = new StringBuilder(text!.Length);
        AppendCollapsed(builder, text, 0, text.Length);
        return TrimEnd(builder);
    }

    /// <summary>Appends <paramref name="text"/> to <paramref name="builder"/>, collapsing whitespace; no leading space.</summary>
    internal static void AppendCollapsed(StringBuilder builder, string text, int start, int end)
    {
        var lastWasSpace = builder.Length == 0 || builder[builder.Length - 1] == ' ';
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (IsSeparator(c))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                    lastWasSpace = true;
                }
            }
            else
            {
                builder.Append(c);
                lastWasSpace = false;
            }
        }
    }

    /// <summary>Appends one separating space unless the text already ends with one.</summary>
    internal static void AppendSpace(StringBuilder builder)
    {
        if (builder.Length > 0 && builder[builder.Length - 1] != ' ')
        {
            builder.Append(' ');
        }
    }

    internal static string TrimEnd(StringBuilder builder)
    {
        var length = builder.Length;
        while (length > 0 && builder[length - 1] == ' ')
        {
            length--;
        }

        return builder.ToString(0, length);
    }

    /// <summary>At most <see cref="MaxExcerptLength"/> characters of <paramref name="value"/>, for reports.</summary>
    public static string Excerpt(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

#pragma warning disable CA1845 // Span-based Concat does not exist on net48.
        return value.Length <= MaxExcerptLength ? value : value.Substring(0, MaxExcerptLength - 3) + "...";
#pragma warning restore CA1845
    }

    internal static bool IsSeparator(char c) => c <= ' ' || char.IsWhiteSpace(c) || (c >= '\u007f' && c <= '\u009f');

    private static bool NeedsCollapsing(string text)
    {
        if (IsSeparator(text[0]) || IsSeparator(text[text.Length - 1]))
        {
            return true;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSeparator(c) && (c != ' ' || text[i - 1] == ' '))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Whole-word, case-insensitive search without regular expressions (vectorised IndexOf on .NET 10). A phrase
/// ("strictly confidential") matches its words separated by any run of whitespace or control characters, so the
/// text never needs a normalised copy.
/// </summary>
public static class WholeWordSearch
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
