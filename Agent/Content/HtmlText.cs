using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Reads HTML as text, the way a person reads it: tags removed (inline formatting tags glue their neighbours,
/// other tags separate words), script, style and comments dropped, character references decoded. A single pass,
/// no DOM: malformed HTML still yields text, and nothing here can throw on content.
/// </summary>
internal static class HtmlText
{
    // Formatting tags that sit inside words in real mail ("con<b>fidential</b>"); every other tag separates words.
    private static readonly HashSet<string> InlineTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "em", "font", "i", "ins", "kbd", "mark", "q", "s",
        "samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var", "wbr", "o:p",
    };

    public static string ToText(string html)
    {
        var builder = new StringBuilder(html.Length / 2);
        var i = 0;
        var length = html.Length;
        while (i < length)
        {
            var lt = html.IndexOfAny(Specials, i);
            var segmentEnd = lt < 0 ? length : lt;
            TextNormalizer.AppendCollapsed(builder, html, i, segmentEnd);
            if (lt < 0)
            {
                break;
            }

            i = html[lt] == '&' ? AppendEntity(builder, html, lt) : SkipMarkup(builder, html, lt);
        }

        return TextNormalizer.TrimEnd(builder);
    }

    private static readonly char[] Specials = { '<', '&' };

    private static int AppendEntity(StringBuilder builder, string html, int amp)
    {
        var semicolon = html.IndexOf(';', amp + 1, Math.Min(34, html.Length - amp - 1));
        if (semicolon < 0)
        {
            builder.Append('&');
            return amp + 1;
        }

        var decoded = WebUtility.HtmlDecode(html.Substring(amp, semicolon - amp + 1));
        TextNormalizer.AppendCollapsed(builder, decoded, 0, decoded.Length);
        return semicolon + 1;
    }

    private static int SkipMarkup(StringBuilder builder, string html, int lt)
    {
        var next = lt + 1 < html.Length ? html[lt + 1] : '\0';
        if (!(char.IsLetter(next) || next == '/' || next == '!' || next == '?'))
        {
            builder.Append('<');
            return lt + 1;
        }

        if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
        {
            var endComment = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            TextNormalizer.AppendSpace(builder);
            return endComment < 0 ? html.Length : endComment + 3;
        }

        var gt = html.IndexOf('>', lt + 1);
        if (gt < 0)
        {
            return html.Length;
        }

        var name = TagName(html, lt + 1, gt);
        if (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase))
        {
            var close = html.IndexOf("</" + name, gt + 1, StringComparison.OrdinalIgnoreCase);
            TextNormalizer.AppendSpace(builder);
            if (close < 0)
            {
                return html.Length;
            }

            var closeEnd = html.IndexOf('>', close);
            return closeEnd < 0 ? html.Length : closeEnd + 1;
        }

        if (!InlineTags.Contains(name))
        {
            TextNormalizer.AppendSpace(builder);
        }

        return gt + 1;
    }

    private static string TagName(string html, int start, int gt)
    {
        if (start < gt && html[start] == '/')
        {
            start++;
        }

        var end = start;
        while (end < gt && !char.IsWhiteSpace(html[end]) && html[end] != '/' && html[end] != '>')
        {
            end++;
        }

        return html.Substring(start, end - start);
    }
}
