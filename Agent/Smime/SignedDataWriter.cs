using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes CMS SignedData with the content inside (RFC 5652 §5.1, RFC 8551 §3.5.2 "signed-data") as a stream, in BER:
/// indefinite-length ContentInfo, SignedData and EncapsulatedContentInfo, the eContent as fixed-size octet-string
/// chunks, the layout of `openssl cms -sign -nodetach -stream` and of BouncyCastle's CmsSignedDataStreamGenerator.
/// The content is hashed once by the platform (<see cref="DigestingStream"/>) on its way out. The SignerInfo cannot
/// be known before the content has passed, so it comes from <see cref="Complete"/>'s signer: a detached SignedData
/// made from the digest (its messageDigest attribute is what a verifier recomputes over the eContent octets, the same
/// bytes), whose certificates and SignerInfos are copied after the content. BouncyCastle's stream generator, which
/// this replaces, hashed with its managed SHA-2 and signed with its managed RSA: 1.7-1.8x openssl's time
/// (docs/performance.md, "Signing").
/// </summary>
internal sealed class SignedDataWriter : IDisposable
{
    /// <summary>
    /// The octet-string chunk size of the eContent: large enough that the framing (4 bytes a chunk) costs nothing,
    /// small enough to stay out of the large-object heap; as in <see cref="EnvelopedDataWriter"/>.
    /// </summary>
    internal const int OctetChunkSize = 32 * 1024;

    /// <summary>
    /// RFC 5652 §5.1: version 1 when the eContentType is id-data, every SignerInfo is version 1 (issuerAndSerialNumber)
    /// and there are no attribute or "other" certificates or CRLs: what the signer here produces.
    /// </summary>
    private static readonly DerInteger Version = DerInteger.One;

    private readonly BerSequenceGenerator _contentInfo;
    private readonly BerSequenceGenerator _signedData;
    private readonly BerSequenceGenerator _encapsulatedContentInfo;
    private readonly BerOctetStringGenerator _eContent;
    private readonly Stream _chunks;
    private readonly DigestingStream _content;
    private readonly Asn1Set _digestAlgorithms;
    private bool _completed;

    /// <summary>
    /// Writes everything that precedes the content to <paramref name="output"/> (which stays open); the content is
    /// then written to <see cref="Content"/>, and <see cref="Complete"/> writes the rest.
    /// </summary>
    public SignedDataWriter(Stream output, HashAlgorithmName hash, string digestOid)
    {
        Guard.NotNull(output);
        // The digest AlgorithmIdentifier as BouncyCastle's SignerInfo generator writes it (parameters absent, as
        // RFC 5754 §2 prefers); checked against the SignerInfo in Complete, as the set is written before it exists.
        _digestAlgorithms = new DerSet(new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(new DerObjectIdentifier(digestOid)));
        _contentInfo = new BerSequenceGenerator(output);
        _contentInfo.AddObject(CmsObjectIdentifiers.SignedData);
        _signedData = new BerSequenceGenerator(_contentInfo.GetRawOutputStream(), 0, true);
        _signedData.AddObject(Version);
        _signedData.AddObject(_digestAlgorithms);
        _encapsulatedContentInfo = new BerSequenceGenerator(_signedData.GetRawOutputStream());
        _encapsulatedContentInfo.AddObject(CmsObjectIdentifiers.Data);
        // eContent [0] EXPLICIT OCTET STRING, constructed (BER) so it can be written before its length is known.
        _eContent = new BerOctetStringGenerator(_encapsulatedContentInfo.GetRawOutputStream(), 0, true);
        _chunks = _eContent.GetOctetOutputStream(new byte[OctetChunkSize]);
        _content = new DigestingStream(_chunks, hash);
    }

    /// <summary>Where the content goes; hashed as it is written.</summary>
    public Stream Content => _content;

    /// <summary>
    /// Ends the content, has <paramref name="signDigest"/> make a detached SignedData for its digest, and writes that
    /// one's certificates, CRLs and SignerInfos, closing every BER constructed encoding.
    /// </summary>
    public void Complete(Func<byte[], SignedData> signDigest)
    {
        Guard.NotNull(signDigest);
        if (_completed)
        {
            throw new InvalidOperationException("The signed-data is already complete.");
        }

        _completed = true;
        _chunks.Dispose();
        _eContent.Dispose();
        _encapsulatedContentInfo.Dispose();

        var detached = signDigest(_content.GetDigest());
        if (!detached.Version.Equals(Version) || !detached.DigestAlgorithms.Equals(_digestAlgorithms))
        {
            // A programming error (another signer, another digest): never emit a structure whose header disagrees with its SignerInfo.
            throw new InvalidOperationException("The SignerInfo does not match the signed-data header already written (version "
                + detached.Version + ", digest algorithms " + Hex.Upper(detached.DigestAlgorithms.GetEncoded(Asn1Encodable.Der)) + ").");
        }

        if (detached.Certificates is { } certificates)
        {
            _signedData.AddObject(new BerTaggedObject(false, 0, certificates));
        }

        if (detached.CRLs is { } crls)
        {
            _signedData.AddObject(new BerTaggedObject(false, 1, crls));
        }

        _signedData.AddObject(detached.SignerInfos);
        _signedData.Dispose();
        _contentInfo.Dispose();
    }

    public void Dispose() => _content.Dispose();
}
