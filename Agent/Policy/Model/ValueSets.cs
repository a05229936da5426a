using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Email addresses compared case-insensitively (the whole address; Exchange compares primary SMTP addresses).</summary>
public sealed class AddressSet
{
    private readonly HashSet<string> _set;

    /// <summary>Creates the set.</summary>
    public AddressSet(IReadOnlyList<string> addresses)
    {
        Values = Guard.NotNull(addresses).Select(a => a.Trim()).ToArray();
        _set = new HashSet<string>(Values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The addresses as written.</summary>
    public IReadOnlyList<string> Values { get; }

    internal string? Find(string? address) => address is not null && _set.Contains(address) ? address : null;

    /// <summary>The first configured address that is in the To or Cc header of <paramref name="message"/>.</summary>
    internal string? FindInToOrCc(MessageContext message)
    {
        foreach (var address in Values)
        {
            if (message.IsInToOrCc(address))
            {
                return address;
            }
        }

        return null;
    }
}

/// <summary>Domains matched exactly or as a parent domain: contoso.com matches contoso.com and mail.contoso.com.</summary>
public sealed class DomainSet
{
    private readonly HashSet<string> _set;

    /// <summary>Creates the set.</summary>
    public DomainSet(IReadOnlyList<string> domains)
    {
        Values = Guard.NotNull(domains).Select(d => d.Trim().TrimEnd('.')).ToArray();
        _set = new HashSet<string>(Values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The domains as written.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Matches against a domain's suffixes (the domain itself first), precomputed once per address; returns the
    /// address's own domain (mail.contoso.com), which says more in a report than the configured parent.
    /// </summary>
    internal string? Find(IReadOnlyList<string> domainSuffixes)
    {
        for (var i = 0; i < domainSuffixes.Count; i++)
        {
            if (_set.Contains(domainSuffixes[i]))
            {
                return domainSuffixes[0];
            }
        }

        return null;
    }
}

/// <summary>
/// Words or phrases matched as whole words, case-insensitively (<see cref="WholeWordSearch"/>). Whitespace inside a
/// phrase matches any run of whitespace in the text.
/// </summary>
public sealed class WordList
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

/// <summary>
/// .NET regular expressions compiled once at load (CultureInvariant | IgnoreCase), each match bounded by the policy's
/// RegexTimeout. A timeout surfaces as <see cref="RegexMatchTimeoutException"/>, which the evaluator turns into a rule error.
/// </summary>
public sealed class PatternList
{
    /// <summary>The options every pattern is compiled with.</summary>
    public const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;

    private readonly Regex[] _regexes;

    /// <summary>Compiles <paramref name="patterns"/>; throws <see cref="ArgumentException"/> for an invalid one.</summary>
    public PatternList(IReadOnlyList<string> patterns, TimeSpan timeout)
    {
        Patterns = Guard.NotNull(patterns).ToArray();
        Timeout = timeout;
        _regexes = Patterns.Select(p => new Regex(p, Options, timeout)).ToArray();
    }

    /// <summary>Wraps regular expressions the loader compiled already (each once).</summary>
    internal PatternList(IReadOnlyList<Regex> regexes, TimeSpan timeout)
    {
        _regexes = regexes.ToArray();
        Patterns = _regexes.Select(r => r.ToString()).ToArray();
        Timeout = timeout;
    }

    /// <summary>The patterns as written.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>The bound on each match.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The text the first matching pattern matched (at most 200 characters), or null.</summary>
    internal string? Find(string? text)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var regex in _regexes)
        {
            var match = regex.Match(text);
            if (match.Success)
            {
                return TextNormalizer.Excerpt(match.Value);
            }
        }

        return null;
    }
}
