using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The decision taken at OnResolvedMessage, recorded per recipient in MailItem.Properties so that the copy each recipient
/// was decided (and routed) for is exactly the copy built at OnCategorizedMessage, whatever happens in between: a policy
/// reload, Exchange's bifurcation after content conversion, forks by us or by other agents. Compact and versioned:
/// "eea1;&lt;decision id&gt;;&lt;recipient hash&gt;:&lt;copy index&gt;,...". Recipients are hashed (no addresses in
/// properties that other agents can read) and the record is bounded.
/// </summary>
internal sealed class RecordedDecision
{
    /// <summary>The MailItem.Properties key.</summary>
    internal const string PropertyName = "ExchangeEncryptionAgent.Decision";

    /// <summary>More recipients than this are not recorded (Exchange's own default limit is 500 per message).</summary>
    internal const int MaxRecipients = 10000;

    private const string Version = "eea1";

    private static readonly char[] EntrySeparator = { ',' };

    private readonly Dictionary<string, int> _copyByRecipient;

    private RecordedDecision(string decisionId, Dictionary<string, int> copyByRecipient)
    {
        DecisionId = decisionId;
        _copyByRecipient = copyByRecipient;
    }

    /// <summary>The key of the plan in the <see cref="DecisionStore"/>.</summary>
    public string DecisionId { get; }

    /// <summary>Records <paramref name="copyIndexByAddress"/> (envelope address to the index of its planned copy).</summary>
    public static RecordedDecision Create(string decisionId, IEnumerable<KeyValuePair<string, int>> copyIndexByAddress)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in copyIndexByAddress)
        {
            map[Hash(pair.Key)] = pair.Value;
        }

        if (map.Count > MaxRecipients)
        {
            throw new InvalidOperationException($"The decision for {map.Count} recipients is too large to record (at most {MaxRecipients}).");
        }

        return new RecordedDecision(decisionId, map);
    }

    /// <summary>The property value.</summary>
    public string Serialize()
        => Version + ";" + DecisionId + ";" + string.Join(",", _copyByRecipient.Select(p => p.Key + ":" + p.Value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads a property value; null when it is missing, of another version, or malformed.</summary>
    public static RecordedDecision? Parse(object? value)
    {
        if (value is not string text || text.Length > (MaxRecipients * 24) + 64)
        {
            return null;
        }

        var parts = text.Split(';');
        if (parts.Length != 3 || parts[0] != Version || parts[1].Length != 32)
        {
            return null;
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in parts[2].Split(EntrySeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':');
            if (colon <= 0 || !int.TryParse(entry.Substring(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return null;
            }

            map[entry.Substring(0, colon)] = index;
        }

        return new RecordedDecision(parts[1], map);
    }

    /// <summary>The copy index decided for <paramref name="address"/>, or null when it was not decided.</summary>
    public int? CopyFor(string address) => _copyByRecipient.TryGetValue(Hash(address), out var index) ? index : null;

    /// <summary>A new decision id.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    private static string Hash(string address)
    {
        var bytes = Encoding.UTF8.GetBytes(address.ToLowerInvariant());
#if NETFRAMEWORK
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(bytes);
#else
        var digest = SHA256.HashData(bytes);
#endif
        // 12 bytes: collisions among the recipients of one message are out of reach.
        return Convert.ToBase64String(digest, 0, 12).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
