using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Content.RawMime;
using MimeKit;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Peels the S/MIME layers of one message from the outside in (RFC 8551 §3.7: arbitrarily nested, "within
/// reasonable resource limits"): verifies signed layers, decrypts encrypted ones, and stops at the first entity that
/// is not S/MIME, at an encrypted layer it may not or cannot decrypt, or past the depth limit. It only reads; the
/// caller decides what is delivered.
/// </summary>
internal sealed class SmimeLayerWalker
{
    private readonly InboundSmimeOptions _options;
    private readonly ICertificateDirectory _directory;
    private readonly IAgentLog _log;
    private readonly TemporaryFileFactory _temporaryFiles;
    private readonly List<Stream> _temporaryStreams;
    private readonly string _messageLabel;

    public SmimeLayerWalker(InboundSmimeOptions options, ICertificateDirectory directory, IAgentLog log, TemporaryFileFactory temporaryFiles, List<Stream> temporaryStreams)
    {
        _options = options;
        _directory = directory;
        _log = log;
        _temporaryFiles = temporaryFiles;
        _temporaryStreams = temporaryStreams;
        _messageLabel = "Message " + (options.MessageId ?? "(no id)");
    }

    /// <summary>Walks <paramref name="message"/>; the result names what to deliver if decryption succeeded.</summary>
    public WalkResult Walk(MimeSlice message, InboundSmimeResult result, CancellationToken cancellationToken)
    {
        var walk = new WalkResult();
        var decrypt = _options.Decrypt is not null;
        var verify = _options.Verify is not null;
        var current = message;
        var depth = 0;
        CbcDecryption? uncovered = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var kind = SmimeLayerClassifier.Classify(current);
            if (kind == SmimeLayerKind.None || (kind == SmimeLayerKind.Encrypted && !decrypt) || (!decrypt && !verify))
            {
                return walk;
            }

            if (kind is SmimeLayerKind.NotProcessed or SmimeLayerKind.UnknownSmimeType)
            {
                _log.Write(EventIds.SmimeLayerNotProcessed, $"{_messageLabel}: {current.ContentType.MimeType} (smime-type={current.ContentType.Parameters["smime-type"] ?? "none"}) is not processed; it passes unchanged.");
                return walk;
            }

            if (++depth > _options.MaxNestingDepth)
            {
                _log.Write(EventIds.SmimeNestingTooDeep, $"{_messageLabel}: more than {_options.MaxNestingDepth} nested S/MIME layers (MaxNestingDepth); the message is not processed.");
                walk.TooDeep = true;
                return walk;
            }

            // A signed layer directly inside a CBC layer is checked even without VerifySmime: its verdict decides
            // whether the decrypted content is authenticated (EFAIL, UnsignedCbcContent).
            var check = verify || uncovered is not null;
            var signedBefore = walk.SignedLayers.Count;
            var cbcBefore = walk.CbcDecryptions.Count;
            MimeSlice? next = kind switch
            {
                SmimeLayerKind.MultipartSigned => PeelMultipartSigned(current, check, walk, result),
                SmimeLayerKind.OpaqueSigned => PeelOpaqueSigned(current, check, walk, result),
                _ => PeelEncrypted(current, walk, result, cancellationToken),
            };
            if (uncovered is not null && walk.SignedLayers.Count > signedBefore)
            {
                uncovered.CoveringLayer = walk.SignedLayers[walk.SignedLayers.Count - 1];
            }

            uncovered = walk.CbcDecryptions.Count > cbcBefore ? walk.CbcDecryptions[walk.CbcDecryptions.Count - 1] : null;
            if (next is null)
            {
                return walk;
            }

            if (kind == SmimeLayerKind.Encrypted && IsEmbeddedMessage(next))
            {
                // RFC 8551 §3.1: the sender protected its header fields by wrapping the whole message; receivers
                // SHOULD present the inner message as the top-level one. Which of its fields are shown, and whether
                // its From is, is decided once the walk is over (InboundMessageWriter, InboundSmimeTransform).
                next = MimeSlice.Read(next.Source, next.BodyStart, next.End);
                walk.PresentedMessage = next;
                walk.Delivered = next;
            }

            current = next;
        }
    }

    private MimeSlice? PeelMultipartSigned(MimeSlice entity, bool verify, WalkResult walk, InboundSmimeResult result)
    {
        result.LayerList.Add("multipart/signed");

        // Three are looked for: a third part means content beside the signed one that the signature does not cover.
        var parts = MultipartBodyScanner.FindParts(entity, 3);
        if (parts.Count < 2)
        {
            if (verify)
            {
                walk.SignedLayers.Add(SignedLayer.Failed(SignatureProblem.Malformed, walk.PresentedMessage));
            }

            return null;
        }

        var content = MimeSlice.Read(entity.Source, parts[0].Start, parts[0].End);
        if (verify)
        {
            var signature = MimeSlice.Read(entity.Source, parts[1].Start, parts[1].End);
            var verifier = new SmimeSignatureVerifier(_directory.Validator, _options.ReceivedUtc);

            // RFC 1847 §2.1 / RFC 8551 §3.1.1: the signature covers the first part exactly, in canonical CRLF form.
            IReadOnlyList<SignatureCheck> checks;
            bool storedWithBareLineFeeds;
            using (var canonical = new CanonicalLineEndingStream(content.OpenEntity()))
            {
                checks = verifier.VerifyDetached(canonical, SmimeLayerClassifier.CmsOf(signature));
                storedWithBareLineFeeds = canonical.ChangedLineEndings;
            }

            if (storedWithBareLineFeeds && checks.Any(c => c.Problem == SignatureProblem.BadSignature))
            {
                // Some signers (openssl -binary on a file with LF endings) hash the bytes as stored rather than
                // canonical: a signature over exactly the bytes we deliver is just as sound.
                using var stored = content.OpenEntity();
                var asStored = verifier.VerifyDetached(stored, SmimeLayerClassifier.CmsOf(signature));
                checks = asStored.Max(c => c.Rank) > checks.Max(c => c.Rank) ? asStored : checks;
            }

            walk.SignedLayers.Add(new SignedLayer(checks, parts.Count > 2, walk.PresentedMessage));
        }

        return content;
    }

    private MimeSlice? PeelOpaqueSigned(MimeSlice entity, bool verify, WalkResult walk, InboundSmimeResult result)
    {
        result.LayerList.Add("signed-data");
        var content = _temporaryFiles.Create();
        _temporaryStreams.Add(content);
        var verifier = new SmimeSignatureVerifier(_directory.Validator, _options.ReceivedUtc);
        var checks = verifier.VerifyEncapsulated(SmimeLayerClassifier.CmsOf(entity), content, verify);
        if (checks is null)
        {
            if (verify)
            {
                walk.SignedLayers.Add(SignedLayer.Failed(SignatureProblem.Malformed, walk.PresentedMessage));
            }

            return null;
        }

        if (verify)
        {
            walk.SignedLayers.Add(new SignedLayer(checks, false, walk.PresentedMessage));
        }

        return MimeSlice.ReadAll(content);
    }

    private MimeSlice? PeelEncrypted(MimeSlice entity, WalkResult walk, InboundSmimeResult result, CancellationToken cancellationToken)
    {
        var decryptor = new CmsLayerDecryptor(_directory.DecryptionKeys, _temporaryFiles);
        var attempt = decryptor.Decrypt(SmimeLayerClassifier.CmsOf(entity), cancellationToken, out var authenticated);
        result.LayerList.Add(entity.ContentType.Parameters["smime-type"] is { } type ? $"{type} {attempt.Algorithm}".TrimEnd() : $"encrypted {attempt.Algorithm}".TrimEnd());
        switch (attempt.Status)
        {
            case CmsDecryptStatus.Decrypted:
                var plaintext = attempt.Plaintext!;
                _temporaryStreams.Add(plaintext);
                walk.DecryptedLayers++;
                result.DecryptionKeyName = attempt.Key!.Name;
                result.ContentEncryption = attempt.Algorithm;
                _log.Write(EventIds.SmimeDecrypted, $"{_messageLabel}: decrypted an S/MIME layer ({attempt.Algorithm}) with key '{attempt.Key.Name}'.");
                var decrypted = MimeSlice.ReadAll(plaintext);
                if (!authenticated)
                {
                    walk.CbcDecryptions.Add(new CbcDecryption());
                }

                walk.Delivered = decrypted;
                walk.PresentedMessage = null;
                return decrypted;
            case CmsDecryptStatus.NotForUs:
                walk.NotForUs = true;
                _log.Write(EventIds.SmimeNotForUs, $"{_messageLabel}: encrypted for recipients whose keys are not configured; it passes unchanged.");
                return null;
            default:
                walk.Failed = true;
                if (_log.IsEnabled(AgentEventLevel.Debug))
                {
                    _log.Write(EventIds.SmimeDecryptionFailureDetail, $"{_messageLabel}: decryption failure cause: {attempt.Failure?.GetType().Name ?? "unknown"}.");
                }

                return null;
        }
    }

    /// <summary>message/rfc822 with an identity encoding (RFC 2046 §5.2.1 allows no other).</summary>
    private static bool IsEmbeddedMessage(MimeSlice entity)
        => entity.ContentType.IsMimeType("message", "rfc822")
            && entity.TransferEncoding is "7bit" or "8bit" or "binary";
}
