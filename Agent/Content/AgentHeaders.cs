using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// The one catalogue of the header fields the agent writes (docs/headers.md). Stamping uses these names; stripping
/// uses <see cref="Prefix"/>, so a field we add later is stripped from outside mail without anyone remembering to.
/// </summary>
public static class AgentHeaders
{
    /// <summary>Every field of ours starts with this; any field with it that arrives from outside is forged.</summary>
    public const string Prefix = "X-EEA-";

    /// <summary>The audit stamp: which rules applied to a copy and what was done.</summary>
    public const string Policy = "X-EEA-Policy";

    /// <summary>The inbound signature verdict.</summary>
    public const string Signature = "X-EEA-Signature";

    /// <summary>The inbound decryption outcome.</summary>
    public const string Decryption = "X-EEA-Decryption";

    /// <summary>Every name above, in the order docs/headers.md documents them.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { Signature, Decryption, Policy };

    /// <summary>True when <paramref name="fieldName"/> belongs to our namespace (case-insensitive, as header names are).</summary>
    public static bool IsOurs(string fieldName) => Guard.NotNull(fieldName).StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when a raw header line starts with <see cref="Prefix"/> (case-insensitive), whether or not the rest is a
    /// valid field name: "X-EEA-S\xefgnature: valid" is no field to MimeKit, but a reader that is less strict would
    /// show it, so from outside it is removed like a well-formed one.
    /// </summary>
    public static bool IsOurs(byte[] line, int length)
    {
        if (Guard.NotNull(line).Length < length || length < Prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < Prefix.Length; i++)
        {
            if (char.ToUpperInvariant((char)line[i]) != char.ToUpperInvariant(Prefix[i]))
            {
                return false;
            }
        }

        return true;
    }
}
