using System;
using System.IO;
using Org.BouncyCastle.Asn1;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The binary CMS of one S/MIME entity, decoded on the fly from its transfer encoding each time it is opened (a
/// second pass is needed when a later key must be tried). Every stream handed to BouncyCastle carries a length
/// limit, so a forged ASN.1 length can never make the parser allocate more than the message could hold.
/// </summary>
internal sealed class CmsSource
{
    private readonly Func<Stream> _open;

    public CmsSource(Func<Stream> open, long maximumLength)
    {
        _open = Guard.NotNull(open);
        Limit = (int)Math.Min(int.MaxValue - 1, Math.Max(0, maximumLength));
    }

    /// <summary>An upper bound of the decoded length (for base64: three quarters of the encoded length).</summary>
    public int Limit { get; }

    /// <summary>Opens the decoded bytes, wrapped so that BouncyCastle's parsers inherit <see cref="Limit"/>.</summary>
    public Stream Open() => new Asn1InputStream(_open(), Limit);

    /// <summary>A parser over the decoded bytes with the limit applied.</summary>
    public Asn1StreamParser OpenParser(out Stream stream)
    {
        stream = _open();
        return new Asn1StreamParser(stream, Limit);
    }
}
