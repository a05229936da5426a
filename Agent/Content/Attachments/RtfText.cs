using System.Globalization;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>
/// The visible text of an RTF document: control words and destinations that hold no text (font and colour tables,
/// pictures, embedded objects, \* groups) are skipped; \par, \line, \tab and \cell become breaks; \'hh and \uN are
/// decoded (\'hh as Windows-1252). No library is served here for RTF; this reads only what a word search needs.
/// </summary>
internal static class RtfText
{
    private static readonly string[] SkippedDestinations =
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer", "listtable", "listoverridetable",
        "themedata", "colorschememapping", "datastore", "latentstyles", "generator", "xmlnstbl", "rsidtbl", "filetbl",
    };

    public static void Read(string rtf, BoundedText text, InspectionBudget budget)
    {
        var depth = 0;
        var skipDepth = int.MaxValue;
        var pendingSkip = 0; // characters to skip after \uN (the ANSI fallback)
        for (var i = 0; i < rtf.Length && !text.IsFull; i++)
        {
            if ((i & 0xFFFF) == 0)
            {
                budget.CheckTime();
            }

            var c = rtf[i];
            switch (c)
            {
                case '{':
                    depth++;
                    if (i + 2 < rtf.Length && rtf[i + 1] == '\\' && rtf[i + 2] == '*' && depth < skipDepth)
                    {
                        skipDepth = depth;
                    }

                    continue;
                case '}':
                    if (depth == skipDepth)
                    {
                        skipDepth = int.MaxValue;
                    }

                    depth--;
                    continue;
                case '\r':
                case '\n':
                    continue;
                case '\\':
                    i = ControlWord(rtf, i, depth, ref skipDepth, ref pendingSkip, text);
                    continue;
            }

            if (depth >= skipDepth)
            {
                continue;
            }

            if (pendingSkip > 0)
            {
                pendingSkip--;
                continue;
            }

            text.Append(c);
        }
    }

    private static int Hex(char c)
        => c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;

    /// <summary>Handles the control word or symbol at <paramref name="start"/>; returns the index of its last character.</summary>
    private static int ControlWord(string rtf, int start, int depth, ref int skipDepth, ref int pendingSkip, BoundedText text)
    {
        var i = start + 1;
        if (i >= rtf.Length)
        {
            return i;
        }

        var first = rtf[i];
        if (!char.IsLetter(first))
        {
            if (first == '\'' && i + 2 < rtf.Length && depth < skipDepth && Hex(rtf[i + 1]) is >= 0 and var high && Hex(rtf[i + 2]) is >= 0 and var low)
            {
                var value = (byte)((high * 16) + low);
                if (pendingSkip > 0)
                {
                    pendingSkip--;
                }
                else
                {
                    text.Append(TextDecoding.GetString(new[] { value }, 1, "windows-1252"));
                }

                return i + 2;
            }

            if (depth < skipDepth && first is '\\' or '{' or '}')
            {
                text.Append(first);
            }
            else if (depth < skipDepth && first == '~')
            {
                text.Append(' ');
            }

            return i;
        }

        var nameStart = i;
        while (i < rtf.Length && char.IsLetter(rtf[i]))
        {
            i++;
        }

        var name = rtf.Substring(nameStart, i - nameStart);
        var numberStart = i;
        if (i < rtf.Length && rtf[i] == '-')
        {
            i++;
        }

        while (i < rtf.Length && char.IsDigit(rtf[i]))
        {
            i++;
        }

        var number = rtf.Substring(numberStart, i - numberStart);
        if (i < rtf.Length && rtf[i] == ' ')
        {
            i++; // the delimiter space belongs to the control word
        }

        if (depth >= skipDepth)
        {
            return i - 1;
        }

        switch (name)
        {
            case "par":
            case "line":
            case "tab":
            case "cell":
            case "row":
            case "sect":
            case "page":
                text.Break();
                break;
            case "u":
                if (int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
                {
                    text.Append((char)(code < 0 ? code + 65536 : code));
                    pendingSkip = 1;
                }

                break;
            default:
                if (System.Array.IndexOf(SkippedDestinations, name) >= 0)
                {
                    skipDepth = depth;
                }

                break;
        }

        return i - 1;
    }
}
