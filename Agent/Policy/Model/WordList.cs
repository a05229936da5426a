using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// Words or phrases matched as whole words, case-insensitively (<see cref="WholeWordSearch"/>). Whitespace inside a
/// phrase matches any run of whitespace in the text.
/// </summary>
internal sealed class WordList
{
    private readonly string[] _words;
    private readonly string[][] _tokens;

    /// <summary>Creates the list; blank values are dropped.</summary>
    public WordList(IReadOnlyList<string> words)
    {
        _words = Guard.NotNull(words).Select(TextNormalizer.CollapseWhitespace).Where(w => w.Length > 0).ToArray();
        _tokens = _words.Select(w => w.Split(' ')).ToArray();
    }

    /// <summary>The normalised words.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>The first word found in <paramref name="text"/> (null when none).</summary>
    internal string? Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        for (var i = 0; i < _tokens.Length; i++)
        {
            if (WholeWordSearch.Contains(text!, _tokens[i]))
            {
                return _words[i];
            }
        }

        return null;
    }
}
