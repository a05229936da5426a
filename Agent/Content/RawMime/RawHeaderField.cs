using System;
using System.Collections.Generic;
using System.Text;

namespace ExchangeEncryptionAgent.Content.RawMime;

/// <summary>
/// One header field exactly as it appeared: name, colon, value, folded continuation lines and its line ending.
/// Rewriting a message through a MIME library would re-serialise it; transforms that must keep bytes intact
/// (an already-signed body, the entity inside an envelope) edit header blocks at this level instead. A line of the
/// header block that is not a field (no valid name and colon) is kept as a field without a name: it is written back
/// as it was and matches no name.
/// </summary>
internal sealed class RawHeaderField
{
    private static readonly Encoding Latin1 = Encoding.GetEncoding("ISO-8859-1");
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    public RawHeaderField(string name, byte[] raw, int valueOffset)
    {
        Name = name;
        Raw = raw;
        ValueOffset = valueOffset;
    }

    /// <summary>The field name as written (compare case-insensitively); empty for a line that is not a field.</summary>
    public string Name { get; }

    /// <summary>The whole field including its terminating line ending.</summary>
    public byte[] Raw { get; }

    /// <summary>Where the value starts in <see cref="Raw"/> (after the colon; the end for a line that is not a field).</summary>
    public int ValueOffset { get; }

    /// <summary>The value bytes with the line breaks of folding removed (RFC 5322 §2.2.3), still undecoded.</summary>
    public byte[] UnfoldedBytes
    {
        get
        {
            var result = new byte[Raw.Length - ValueOffset];
            var length = 0;
            for (var i = ValueOffset; i < Raw.Length; i++)
            {
                if (Raw[i] is not (byte)'\r' and not (byte)'\n')
                {
                    result[length++] = Raw[i];
                }
            }

            Array.Resize(ref result, length);
            return result;
        }
    }

    /// <summary>The unfolded value, trimmed, decoded as UTF-8 (Latin-1 when that is invalid: no byte is lost).</summary>
    public string Value
    {
        get
        {
            var bytes = UnfoldedBytes;
            try
            {
                return StrictUtf8.GetString(bytes).Trim();
            }
            catch (DecoderFallbackException)
            {
                return Latin1.GetString(bytes).Trim();
            }
        }
    }

    /// <summary>True when the field is called <paramref name="name"/> (case-insensitive, RFC 5322 §1.2.2).</summary>
    public bool Is(string name) => Name.Length > 0 && string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True for the fields that describe the body entity (RFC 2045 §9: every "Content-*" field); they move inside the
    /// envelope (or are replaced) when the body is wrapped.
    /// </summary>
    public bool IsEntityField => Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 2045 §4.</summary>
    public bool IsMimeVersion => Is("MIME-Version");

    /// <summary>True for a field (or a line that is not one) of the agent's own namespace (<see cref="AgentHeaders"/>).</summary>
    public bool IsAgentField => AgentHeaders.IsOurs(Raw, Raw.Length);

    /// <summary>The field bytes with every line ending written as CRLF (RFC 5322 §2.3), for headers we emit.</summary>
    public byte[] WithCrlf()
    {
        var bareLf = false;
        for (var i = 0; i < Raw.Length && !bareLf; i++)
        {
            bareLf = Raw[i] == (byte)'\n' && (i == 0 || Raw[i - 1] != (byte)'\r');
        }

        var terminated = Raw.Length > 0 && Raw[Raw.Length - 1] == (byte)'\n';
        if (!bareLf && terminated)
        {
            return Raw;
        }

        var fixedBytes = new List<byte>(Raw.Length + 8);
        for (var i = 0; i < Raw.Length; i++)
        {
            if (Raw[i] == (byte)'\n' && (i == 0 || Raw[i - 1] != (byte)'\r'))
            {
                fixedBytes.Add((byte)'\r');
            }

            fixedBytes.Add(Raw[i]);
        }

        if (!terminated)
        {
            fixedBytes.Add((byte)'\r');
            fixedBytes.Add((byte)'\n');
        }

        return fixedBytes.ToArray();
    }

    /// <summary>
    /// A field "Name: value" with <paramref name="lineEnding"/>; the value is encoded and folded by
    /// <see cref="HeaderText.Encode"/>, so any text (non-ASCII, line breaks from configuration) is safe.
    /// </summary>
    public static RawHeaderField Create(string name, string value, string lineEnding = "\r\n")
    {
        var raw = Encoding.ASCII.GetBytes(name + ":" + HeaderText.Encode(name, value, lineEnding) + lineEnding);
        return new RawHeaderField(name, raw, name.Length + 1);
    }
}
