using System;
using System.Text;

namespace ExchangeEncryptionAgent.Smime.Inbound.RawMime;

/// <summary>
/// One header field exactly as it appeared (RFC 5322 §2.2): the raw bytes with their folding and line endings, so
/// that a field we keep is written back byte for byte.
/// </summary>
internal sealed class HeaderField
{
    public HeaderField(string name, byte[] raw, int valueOffset)
    {
        Name = name;
        Raw = raw;
        ValueOffset = valueOffset;
    }

    /// <summary>The field name as written (empty for a malformed line without a colon).</summary>
    public string Name { get; }

    /// <summary>The whole field, name to final line break, as it appeared.</summary>
    public byte[] Raw { get; }

    /// <summary>Where the value starts in <see cref="Raw"/> (after the colon).</summary>
    public int ValueOffset { get; }

    /// <summary>The value with line breaks of folded lines removed (RFC 5322 §2.2.3 unfolding), still undecoded.</summary>
    public byte[] UnfoldedValue
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

    /// <summary>The unfolded value as text, trimmed (Latin-1: every byte maps to one character, nothing is lost).</summary>
    public string Value => Latin1.GetString(UnfoldedValue).Trim();

    /// <summary>True when the field is called <paramref name="name"/> (case-insensitive, RFC 5322 §1.2.2).</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for Content-* fields (RFC 2045 §9) and MIME-Version: the fields that belong to the body.</summary>
    public bool IsContentField => Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || Is("MIME-Version");

    /// <summary>A new field "Name: value" with a CRLF ending; the value must already be header-safe ASCII.</summary>
    public static HeaderField Create(string name, string value)
    {
        var raw = Encoding.ASCII.GetBytes(name + ": " + value + "\r\n");
        return new HeaderField(name, raw, name.Length + 1);
    }

    internal static readonly Encoding Latin1 = Encoding.GetEncoding("ISO-8859-1");
}
