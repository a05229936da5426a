using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Smime.Gcm;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Decrypts CMS EnvelopedData (RFC 5652 §6): AES-CBC (RFC 3565), and 3DES only because legacy mail must stay
/// readable (RFC 8551 App. B.3: decrypt, never encrypt). Streams with BouncyCastle's ASN.1 parsers into reused
/// buffers, AES through the platform's cipher and 3DES through BouncyCastle's; the plaintext goes to a temporary file
/// and is handed on only when the last block unpadded cleanly, else the file is deleted.
/// </summary>
/// <remarks>
/// BouncyCastle's CmsEnvelopedDataParser would do the same in fewer lines, but its CipherStream allocates a new array
/// per read: about 3.5 bytes of garbage per message byte (measured, docs/performance.md), which a transport service
/// handling 150 MB messages should not pay. The key handling is shared with the AES-GCM reader.
/// </remarks>
internal sealed class EnvelopedDataReader
{
    private const int ChunkSize = 64 * 1024;

    private static readonly Dictionary<string, (int KeyLength, string Name)> ReadableAlgorithms = new(StringComparer.Ordinal)
    {
        [NistObjectIdentifiers.IdAes128Cbc.Id] = (16, "aes-128-cbc"),
        [NistObjectIdentifiers.IdAes192Cbc.Id] = (24, "aes-192-cbc"),
        [NistObjectIdentifiers.IdAes256Cbc.Id] = (32, "aes-256-cbc"),
        [PkcsObjectIdentifiers.DesEde3Cbc.Id] = (24, "des-ede3-cbc"),
    };

    private readonly IReadOnlyList<PrivateKeyEntry> _keys;
    private readonly TemporaryFileFactory _temporaryFiles;

    public EnvelopedDataReader(IReadOnlyList<PrivateKeyEntry> keys, TemporaryFileFactory temporaryFiles)
    {
        _keys = Guard.NotNull(keys);
        _temporaryFiles = Guard.NotNull(temporaryFiles);
    }

    public CmsDecryptResult Decrypt(CmsSource source, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        string? algorithm = null;
        Exception? lastFailure = null;
        Stream? stream = null;
        try
        {
            // Inside the try: a ContentInfo or EnvelopedData header that does not parse (bad length, unknown tag, cut
            // short) is a failed layer like any other, not an exception out of the transform (found by fuzzing).
            var parser = Open(source, out stream);
            var contentKeys = KeyTransportRecipients.Unwrap(parser!.GetRecipientInfos(), _keys, out var namedUs);
            if (!namedUs)
            {
                return CmsDecryptResult.NotForUs(null);
            }

            foreach (var (key, contentKey) in contentKeys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (parser is null)
                {
                    // The previous key consumed the content before it failed: parse again from the start.
                    stream.Dispose();
                    parser = Open(source, out stream);
                    KeyTransportRecipients.Skip(parser.GetRecipientInfos());
                }

                var plaintext = _temporaryFiles.Create();
                try
                {
                    algorithm = DecryptContent(parser.GetEncryptedContentInfo(), contentKey, plaintext, cancellationToken);
                    plaintext.Position = 0;
                    return CmsDecryptResult.Decrypted(plaintext, key, algorithm);
                }
                catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
                {
                    // Bad padding, truncation, a wrong key that unwrapped to garbage: delete what was written.
                    plaintext.Dispose();
                    lastFailure = ex;
                    parser = null;
                }
                finally
                {
                    Array.Clear(contentKey, 0, contentKey.Length);
                }
            }

            return CmsDecryptResult.Failed(algorithm, lastFailure ?? new InvalidCipherTextException("no RecipientInfo for a configured key could be decrypted"));
        }
        catch (Exception ex) when (AuthEnvelopedDataReader.IsContentFailure(ex))
        {
            return CmsDecryptResult.Failed(algorithm, ex);
        }
        finally
        {
            stream?.Dispose();
        }
    }

    private static EnvelopedDataParser Open(CmsSource source, out Stream stream)
    {
        var parser = source.OpenParser(out stream);
        var contentInfo = new ContentInfoParser((Asn1SequenceParser)parser.ReadObject());
        if (!CmsObjectIdentifiers.EnvelopedData.Equals(contentInfo.ContentType))
        {
            throw new InvalidDataException("not EnvelopedData");
        }

        var envelopedData = new EnvelopedDataParser((Asn1SequenceParser)contentInfo.GetContent(Asn1Tags.Sequence));
        envelopedData.GetOriginatorInfo();
        return envelopedData;
    }

    private static string DecryptContent(EncryptedContentInfoParser contentInfo, byte[] contentKey, Stream plaintext, CancellationToken cancellationToken)
    {
        var algorithmId = contentInfo.ContentEncryptionAlgorithm;
        if (!ReadableAlgorithms.TryGetValue(algorithmId.Algorithm.Id, out var algorithm))
        {
            // RC2, single DES and anything unknown: refused like any other failure.
            throw new NotSupportedException("content encryption algorithm not accepted: " + algorithmId.Algorithm.Id);
        }

        if (contentKey.Length != algorithm.KeyLength)
        {
            throw new InvalidCipherTextException("content key length does not fit the algorithm");
        }

        // The parameters are the IV, one block long (RFC 3565 §4.1; RFC 8018 B.2.2 for 3DES).
        var isDes = algorithm.Name == "des-ede3-cbc";
        var iv = Asn1OctetString.GetInstance(algorithmId.Parameters).GetOctets();
        if (iv.Length != (isDes ? 8 : 16))
        {
            throw new InvalidDataException("IV length differs from the block size");
        }

        var content = contentInfo.GetEncryptedContent(Asn1Tags.OctetString) as Asn1OctetStringParser
            ?? throw new InvalidDataException("no encrypted content");
        using (var ciphertext = content.GetOctetStream())
        {
            if (isDes)
            {
                DecryptWithBouncyCastle(new DesEdeEngine(), contentKey, iv, ciphertext, plaintext, cancellationToken);
            }
            else
            {
                DecryptAes(contentKey, iv, ciphertext, plaintext, cancellationToken);
            }
        }

        plaintext.Flush();
        return algorithm.Name;
    }

    /// <summary>
    /// AES-CBC through the platform (<see cref="PlatformAesCbc"/>), whole blocks at a time: at 1 MB BouncyCastle's
    /// block-by-block CBC made decryption take about twice openssl's time (docs/performance.md, "Inbound S/MIME").
    /// The padding is checked by the final block: a failure throws, and the caller deletes everything written so far.
    /// </summary>
    private static void DecryptAes(byte[] key, byte[] iv, Stream ciphertext, Stream plaintext, CancellationToken cancellationToken)
    {
        using var decryptor = PlatformAesCbc.Decryptor(key, iv);
        var input = new byte[ChunkSize];
        var output = new byte[ChunkSize + 16];
        var filled = 0;
        int read;
        while ((read = ciphertext.Read(input, filled, input.Length - filled)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            filled += read;
            var whole = filled - (filled % 16);
            if (whole > 0)
            {
                plaintext.Write(output, 0, decryptor.TransformBlock(input, 0, whole, output, 0));
                // An unfinished block moves to the front and waits for the rest of its bytes.
                Buffer.BlockCopy(input, whole, input, 0, filled - whole);
                filled -= whole;
            }
        }

        // A ciphertext that is not whole blocks fails here, like a bad padding.
        var last = decryptor.TransformFinalBlock(input, 0, filled);
        plaintext.Write(last, 0, last.Length);
        Array.Clear(output, 0, output.Length);
        Array.Clear(last, 0, last.Length);
    }

    /// <summary>3DES-CBC (legacy, decrypt only) with BouncyCastle's block cipher.</summary>
    private static void DecryptWithBouncyCastle(IBlockCipher engine, byte[] key, byte[] iv, Stream ciphertext, Stream plaintext, CancellationToken cancellationToken)
    {
        var cipher = new PaddedBufferedBlockCipher(new CbcBlockCipher(engine), new Pkcs7Padding());
        cipher.Init(false, new ParametersWithIV(new KeyParameter(key), iv));
        var input = new byte[ChunkSize];
        var output = new byte[ChunkSize + 32];
        int read;
        while ((read = ciphertext.Read(input, 0, input.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            plaintext.Write(output, 0, cipher.ProcessBytes(input, 0, read, output, 0));
        }

        // PKCS#7 padding is checked here: a failure deletes everything written so far (the caller disposes the file).
        plaintext.Write(output, 0, cipher.DoFinal(output, 0));
    }
}
