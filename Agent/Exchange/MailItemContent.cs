using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Processing;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeEncryptionAgent.Exchange;

/// <summary>
/// The content of one MailItem: read it seekable, hash it, have the engine build a planned copy into a temporary file,
/// and write a finished file back in the one way Exchange's write stream allows (hashing what it writes). <see cref="MailItemAdapter"/> decides when.
/// </summary>
internal sealed class MailItemContent
{
    private readonly MailItem _mailItem;
    private readonly CopyBuilder _builder;

    public MailItemContent(MailItem mailItem, CopyBuilder builder)
    {
        _mailItem = mailItem;
        _builder = builder;
    }

    /// <summary>The current content, seekable. Exchange's read stream is seekable in practice; spool it when not.</summary>
    public Stream Open()
    {
        var stream = _mailItem.GetMimeReadStream() ?? throw new InvalidOperationException("Exchange does not expose the content of this message.");
        if (stream.CanSeek)
        {
            return stream;
        }

        using (stream)
        {
            var spool = _builder.TemporaryFiles.Create();
            stream.CopyTo(spool, 81920);
            spool.Position = 0;
            return spool;
        }
    }

    /// <summary>SHA-256 (base64) of the current content.</summary>
    public string Digest()
    {
        using var content = Open();
        using var sha = SHA256.Create();
        content.Position = 0;
        return Convert.ToBase64String(sha.ComputeHash(content));
    }

    /// <summary>
    /// Builds <paramref name="copy"/> into a delete-on-close temporary file (not yet written to the item) that the
    /// caller disposes; null when the copy's content is the item's as it is.
    /// </summary>
    public Stream? Build(PlannedCopy copy, CancellationToken cancellationToken)
    {
        using var content = Open();
        return _builder.Build(copy, content, cancellationToken);
    }

    /// <summary>
    /// The write stream cannot seek, refuses writes after Flush, and must be closed before the handler completes or
    /// Exchange restores the old content and drops every recipient: copy a finished file in one go and close it.
    /// Returns the SHA-256 (base64) of exactly what was written, hashed on the way rather than by reading the file again.
    /// </summary>
    public string Write(Stream result)
    {
        using var destination = _mailItem.GetMimeWriteStream() ?? throw new InvalidOperationException("Exchange refused a write stream for this message.");
        using var digesting = new DigestingStream(destination, HashAlgorithmName.SHA256);
        result.Position = 0;
        result.CopyTo(digesting, 81920);
        return Convert.ToBase64String(digesting.GetDigest());
    }
}
