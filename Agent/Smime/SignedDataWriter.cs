using System;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// Writes CMS SignedData with the content inside (RFC 5652 §5.1, RFC 8551 §3.5.2 "signed-data") as a stream, in BER:
/// indefinite-length ContentInfo, SignedData and EncapsulatedContentInfo, the eContent as fixed-size octet-string
/// chunks (<see cref="OctetChunkStream"/>), the layout of `openssl cms -sign -nodetach -stream`.
/// The content is hashed once by the platform (<see cref="DigestingStream"/>) on its way out. The SignerInfo cannot
/// be known before the content has passed, so <see cref="Complete"/> asks for it with the digest (its messageDigest
/// attribute is what a verifier recomputes over the eContent octets, the same bytes); the certificates and the
/// digest algorithms are the signer's <see cref="SignerTemplate"/>, precomputed DER. BouncyCastle's stream generator,
/// which this replaced, hashed with its managed SHA-2 and signed with its managed RSA: 1.7-1.8x openssl's time
/// (docs/performance.md, "Signing").
/// </summary>
internal sealed class SignedDataWriter : IDisposable
{
    /// <summary>
    /// RFC 5652 §5.1: version 1 when the eContentType is id-data, every SignerInfo is version 1 (issuerAndSerialNumber)
    /// and there are no attribute or "other" certificates or CRLs: what the signer here produces.
    /// </summary>
    private static readonly byte[] Prefix = Der.Concat(
        new byte[] { Der.Sequence, 0x80 },
        CmsObjectIdentifiers.SignedData.GetEncoded(Asn1Encodable.Der),
        new byte[] { Der.Context(0), 0x80, Der.Sequence, 0x80, Der.Integer, 1, 1 });

    /// <summary>EncapsulatedContentInfo { id-data, eContent [0] EXPLICIT OCTET STRING (constructed) }, all indefinite.</summary>
    private static readonly byte[] ContentPrefix = Der.Concat(
        new byte[] { Der.Sequence, 0x80 },
        CmsObjectIdentifiers.Data.GetEncoded(Asn1Encodable.Der),
        new byte[] { Der.Context(0), 0x80, 0x24, 0x80 });

    private readonly Stream _output;
    private readonly SignerTemplate _template;
    private readonly OctetChunkStream _chunks;
    private readonly DigestingStream _content;
    private bool _completed;

    /// <summary>
    /// Writes everything that precedes the content to <paramref name="output"/> (which stays open); the content is
    /// then written to <see cref="Content"/>, and <see cref="Complete"/> writes the rest.
    /// </summary>
    public SignedDataWriter(Stream output, SignerTemplate template, HashAlgorithmName hash)
    {
        _output = Guard.NotNull(output);
        _template = Guard.NotNull(template);
        _output.Write(Prefix, 0, Prefix.Length);
        _output.Write(template.DigestAlgorithms, 0, template.DigestAlgorithms.Length);
        _output.Write(ContentPrefix, 0, ContentPrefix.Length);
        _chunks = new OctetChunkStream(output);
        _content = new DigestingStream(_chunks, hash);
    }

    /// <summary>Where the content goes; hashed as it is written.</summary>
    public Stream Content => _content;

    /// <summary>
    /// Ends the content, has <paramref name="signerInfos"/> make the SignerInfos SET (DER) for its digest, and writes
    /// the certificates and that SET, closing every BER constructed encoding.
    /// </summary>
    public void Complete(Func<byte[], byte[]> signerInfos)
    {
        Guard.NotNull(signerInfos);
        if (_completed)
        {
            throw new InvalidOperationException("The signed-data is already complete.");
        }

        _completed = true;
        _chunks.Dispose();

        // Closes the constructed OCTET STRING, eContent [0] and EncapsulatedContentInfo.
        Der.WriteEndOfContents(_output, 3);
        var signers = signerInfos(_content.GetDigest());
        _output.Write(_template.Certificates, 0, _template.Certificates.Length);
        _output.Write(signers, 0, signers.Length);

        // Closes SignedData, the ContentInfo's content [0] and ContentInfo.
        Der.WriteEndOfContents(_output, 3);
    }

    public void Dispose()
    {
        _content.Dispose();
        _chunks.Dispose();
    }
}
