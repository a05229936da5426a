using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// The X-EEA-Policy header stamped on each processed copy: which rules applied to the copy's recipients and which
/// actions were planned. ASCII only, at most <see cref="MaxLength"/> characters, items separated by spaces so any
/// MIME writer can fold it. Never carries secrets: rule names, action names, the policy hash prefix only.
/// </summary>
/// <remarks>
/// Format (docs/headers.md): <c>v=1; policy=&lt;12 hex&gt;; rules="A" "B"; actions=EncryptSmime SignSmime;
/// errors="D"; defer=yes; truncated=yes</c>. Absent parts are omitted; <c>rules=none</c> when nothing applied.
/// Audit-mode rules never appear: an Audit rule changes nothing in the message, not even this header (it reports
/// through event 4006 and <c>eea test</c> only), so switching a rule to Audit is safe to try on live mail.
/// Inside quotes, <c>\</c> and <c>"</c> are backslash-escaped and non-ASCII characters are percent-encoded UTF-8.
/// </remarks>
public static class AuditHeader
{
    /// <summary>The header name.</summary>
    public const string HeaderName = Content.AgentHeaders.Policy;

    /// <summary>The longest value produced (well under the 998-character line limit of RFC 5322).</summary>
    public const int MaxLength = 900;

    private const string TruncatedMarker = "; truncated=yes";

    /// <summary>
    /// Formats the value for the copy that goes to <paramref name="copyRecipients"/> (envelope addresses).
    /// <paramref name="policySha256"/> identifies the policy version (its first 12 hex digits are written).
    /// </summary>
    public static string Format(PolicyDecision decision, IEnumerable<string> copyRecipients, string? policySha256 = null)
        => Format(decision, copyRecipients, policySha256, Array.Empty<string>());

    /// <summary>
    /// As above, plus <c>outcome=</c>: what the pipeline actually did to the copy (tokens such as <c>encrypted</c>,
    /// <c>signed</c>, <c>forced-tls</c>, <c>fallback-route-require-tls</c>; docs/headers.md lists them).
    /// </summary>
    public static string Format(PolicyDecision decision, IEnumerable<string> copyRecipients, string? policySha256, IReadOnlyCollection<string> outcome)
    {
        Guard.NotNull(outcome);
        Guard.NotNull(decision);
        var copy = new HashSet<string>(Guard.NotNull(copyRecipients), StringComparer.OrdinalIgnoreCase);
        var relevant = decision.Matches.Where(m => m.Recipients.Any(copy.Contains)).ToList();
        var enforced = relevant.Where(m => m.Mode == RuleMode.Enforce).Select(m => m.RuleName).ToList();
        var actions = decision.Recipients
            .Where(r => copy.Contains(r.Address))
            .SelectMany(r => r.Actions)
            .Select(ActionName)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var parts = new List<string> { "v=1" };
        if (!string.IsNullOrEmpty(policySha256))
        {
            parts.Add("policy=" + Ascii(policySha256!.Substring(0, Math.Min(12, policySha256.Length))));
        }

        parts.Add(enforced.Count == 0 ? "rules=none" : "rules=" + string.Join(" ", enforced.Select(Quote)));
        if (actions.Count > 0)
        {
            parts.Add("actions=" + string.Join(" ", actions));
        }

        if (outcome.Count > 0)
        {
            parts.Add("outcome=" + string.Join(" ", outcome.Select(Ascii)));
        }

        if (decision.Errors.Count > 0)
        {
            parts.Add("errors=" + string.Join(" ", decision.Errors.Select(e => e.RuleName).Distinct(StringComparer.Ordinal).Select(Quote)));
        }

        if (decision.DeferMessage)
        {
            parts.Add("defer=yes");
        }

        return Join(parts);
    }

    /// <summary>The policy element name of an action (EncryptSmimeAction → EncryptSmime).</summary>
    public static string ActionName(PolicyAction action)
    {
        var name = Guard.NotNull(action).GetType().Name;
        return name.EndsWith("Action", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Action".Length) : name;
    }

    private static string Join(List<string> parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            var separatorLength = builder.Length == 0 ? 0 : 2;
            if (builder.Length + separatorLength + part.Length > MaxLength - TruncatedMarker.Length)
            {
                // Cut at the last whole item that fits, so what remains is still well formed.
                var room = MaxLength - TruncatedMarker.Length - builder.Length - separatorLength;
                var cut = room > 0 ? LastItemBoundary(part, room) : 0;
                if (cut > 0)
                {
                    builder.Append("; ").Append(part, 0, cut);
                }

                return builder.Append(TruncatedMarker).ToString();
            }

            if (separatorLength > 0)
            {
                builder.Append("; ");
            }

            builder.Append(part);
        }

        return builder.ToString();
    }

    /// <summary>The length of the longest prefix of <paramref name="part"/> ending at an item boundary (a space outside quotes).</summary>
    private static int LastItemBoundary(string part, int room)
    {
        var inQuotes = false;
        var best = 0;
        for (var i = 0; i < part.Length && i <= room; i++)
        {
            var c = part[i];
            if (c == '\\' && inQuotes)
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == ' ' && !inQuotes)
            {
                best = i;
            }
        }

        return part.Length <= room ? part.Length : best;
    }

    private static string Quote(string name) => "\"" + Ascii(name).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Printable ASCII as is; everything else (and '%') percent-encoded as UTF-8.</summary>
    private static string Ascii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b >= 0x20 && b < 0x7f && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
