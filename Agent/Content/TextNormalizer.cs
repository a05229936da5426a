using System;
using System.Text;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Text as conditions see it: every run of whitespace (and control characters such as NUL) becomes one space, so a
/// phrase in the policy matches across line breaks and folding. Applied once per text, never per condition.
/// </summary>
internal static class TextNormalizer
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
