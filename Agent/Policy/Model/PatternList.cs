using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>
/// .NET regular expressions compiled once at load (CultureInvariant | IgnoreCase), each match bounded by the policy's
/// RegexTimeout. A timeout surfaces as <see cref="RegexMatchTimeoutException"/>, which the evaluator turns into a rule error.
/// </summary>
internal sealed class PatternList
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
