using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Content.RawMime;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Inbound S/MIME for one message: removes X-EEA-* fields from outside, peels the S/MIME layers (verify, decrypt)
/// within MaxNestingDepth, delivers the decrypted content under the outer header fields (or the original bytes),
/// and stamps X-EEA-Signature / X-EEA-Decryption. One instance per message; <see cref="Result"/> tells the pipeline
/// what happened.
/// </summary>
/// <remarks>
/// Throws <see cref="MessageTransformException"/> (always with <see cref="InboundSmimeHeaders.UniformDecryptionFailure"/>)
/// only when decryption failed and the rule says OnFailure=Defer, and for a header block too large to read; nothing
/// is written then. Every other outcome is written to the destination: a message is never delivered partly decrypted.
/// </remarks>
internal sealed class InboundSmimeTransform : IMessageTransform
{
    private readonly InboundSmimeOptions _options;
    private readonly ICertificateDirectory _directory;
    private readonly IAgentLog _log;

    /// <summary>Creates the transform for one message.</summary>
    public InboundSmimeTransform(InboundSmimeOptions options, ICertificateDirectory directory, IAgentLog log)
    {
        _options = Guard.NotNull(options);
        _directory = Guard.NotNull(directory);
        _log = Guard.NotNull(log);
    }

    /// <inheritdoc />
    public string Name => "inbound-smime";

    /// <summary>What the last <see cref="Apply"/> did; null before it ran.</summary>
    public InboundSmimeResult? Result { get; private set; }

    /// <inheritdoc />
    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Guard.NotNull(destination);
        var result = new InboundSmimeResult();
        Result = result;
        var label = "Message " + (_options.MessageId ?? "(no id)");
        var temporaryStreams = new List<Stream>();
        try
        {
            MimeSlice message;
            try
            {
                message = MimeSlice.ReadAll(source);
            }
            catch (MessageHeaderTooLargeException ex)
            {
                throw new MessageTransformException("The message header block could not be read.", ex);
            }

            result.ForgedHeadersRemoved = message.Headers.Fields.Count(f => f.IsAgentField);
            if (result.ForgedHeadersRemoved > 0)
            {
                _log.Write(EventIds.ForgedVerdictHeadersRemoved, $"{label}: removed {result.ForgedHeadersRemoved} {AgentHeaders.Prefix}* header field(s) that came from outside.");
            }

            var walker = new SmimeLayerWalker(_options, _directory, _log, _options.TemporaryFiles ?? TemporaryFileFactory.InMemory, temporaryStreams);
            var walk = walker.Walk(message, result, cancellationToken);
            var shown = ShownIdentity(message, walk, label, out var innerFromShown);
            RecordSignature(walk, shown, result, label);
            RecordDecryption(walk, shown, result, label);

            var stamps = Stamps(result);
            var subjectTag = SubjectTag(result.Signature);
            if (result.Decryption == DecryptionOutcome.Decrypted)
            {
                result.BodyReplaced = true;
                InboundMessageWriter.WriteDecrypted(message, walk.Delivered!, walk.PresentedMessage is not null, innerFromShown, stamps, subjectTag, destination);
            }
            else if (result.Decryption == DecryptionOutcome.DecryptedAttachment)
            {
                result.BodyReplaced = true;
                InboundMessageWriter.WriteAsAttachment(message, walk.Delivered!, stamps, subjectTag, destination);
            }
            else
            {
                InboundMessageWriter.WriteOriginal(message, stamps, subjectTag, destination);
            }

            destination.Flush();
        }
        finally
        {
            foreach (var stream in temporaryStreams)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>
    /// The From the reader will see, which every signature is judged against. Without an embedded message it is the
    /// message's own. With one (header protection), its From replaces the outer one only when it names the same
    /// mailbox, or when a signature inside the encryption is valid for it: anything else would let whoever can
    /// encrypt to the organisation write any From under the receiving server's own trace and authentication fields.
    /// </summary>
    private SenderIdentity ShownIdentity(MimeSlice message, WalkResult walk, string label, out bool innerFromShown)
    {
        innerFromShown = false;
        var outer = SenderIdentity.Of(message.Headers);
        if (walk.PresentedMessage is not { } presented)
        {
            return outer;
        }

        var inner = SenderIdentity.Of(presented.Headers, message.Headers);
        if (!inner.HasFrom)
        {
            return outer;
        }

        if (inner.SameFrom(outer)
            || walk.SignedLayers.Any(l => ReferenceEquals(l.PresentedMessage, presented) && l.Verdict(inner).Status == SignatureStatus.Valid))
        {
            innerFromShown = true;
            return inner;
        }

        _log.Write(EventIds.SmimeInnerFromNotShown, $"{label}: the decrypted message's From is neither the outer From nor bound to a valid signature inside the encryption; the outer From is shown.");
        return outer;
    }

    private void RecordSignature(WalkResult walk, SenderIdentity shown, InboundSmimeResult result, string label)
    {
        if (_options.Verify is null)
        {
            return;
        }

        var verdict = Combine(walk, shown);
        result.Signature = verdict?.Status ?? SignatureStatus.None;
        result.SignatureProblem = verdict?.Problem ?? SignatureProblem.None;
        result.SignerAddress = verdict?.SignerAddress;
        result.SignerCertificate = verdict?.SignerCertificate;
        // The address comes from a certificate the sender chose: only a well-formed one goes into the log line.
        var signer = verdict?.SignerAddress is { } address && InboundSmimeHeaders.IsSafeAddress(address) ? address : "an unnamed signer";
        switch (result.Signature)
        {
            case SignatureStatus.Valid:
                _log.Write(EventIds.SignatureValid, $"{label}: valid S/MIME signature by {signer}.");
                break;
            case SignatureStatus.Invalid:
                _log.Write(EventIds.SignatureInvalid, $"{label}: invalid S/MIME signature by {signer} ({InboundSmimeHeaders.ProblemToken(result.SignatureProblem)}).");
                break;
            case SignatureStatus.Untrusted:
                _log.Write(EventIds.SignatureUntrusted, $"{label}: untrusted S/MIME signature by {signer} ({InboundSmimeHeaders.ProblemToken(result.SignatureProblem)}).");
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// One verdict for all signed layers: the worst one wins (an invalid outer or inner signature makes the message
    /// invalid), and among equals the innermost, whose signer wrote the content.
    /// </summary>
    private static SignatureCheck? Combine(WalkResult walk, SenderIdentity shown)
    {
        if (walk.TooDeep)
        {
            return SignatureCheck.Invalid(SignatureProblem.NestingTooDeep);
        }

        SignatureCheck? verdict = null;
        foreach (var check in walk.SignedLayers.Select(l => l.Verdict(shown)))
        {
            if (verdict is null || check.Rank <= verdict.Rank)
            {
                verdict = check;
            }
        }

        return verdict;
    }

    private void RecordDecryption(WalkResult walk, SenderIdentity shown, InboundSmimeResult result, string label)
    {
        if (_options.Decrypt is not { } action)
        {
            return;
        }

        if (walk.Failed || walk.TooDeep)
        {
            result.Decryption = DecryptionOutcome.Failed;
            var deferred = action.OnFailure == InboundFailureAction.Defer;
            _log.Write(EventIds.SmimeDecryptionFailed, $"{label}: {InboundSmimeHeaders.UniformDecryptionFailure} It was {(deferred ? "deferred" : "passed unchanged")} (rule '{action.RuleName}').");
            if (deferred)
            {
                result.Deferred = true;
                throw new MessageTransformException(InboundSmimeHeaders.UniformDecryptionFailure);
            }

            return;
        }

        if (walk.DecryptedLayers > 0)
        {
            if (action.Deliver == DecryptedDelivery.Ciphertext)
            {
                result.Decryption = DecryptionOutcome.KeptCiphertext;
                _log.Write(EventIds.SmimeKeptCiphertext, $"{label}: decryptable with key '{result.DecryptionKeyName}'; delivered as ciphertext (rule '{action.RuleName}').");
            }
            else if (action.UnsignedCbcContent != UnsignedCbcContent.Deliver
                && walk.CbcDecryptions.Any(d => d.CoveringLayer is not { } layer || layer.Verdict(shown).Status != SignatureStatus.Valid))
            {
                // EFAIL: CBC plaintext can be edited blindly by whoever captured the ciphertext; without a valid
                // signature over it, nothing says the HTML is what the sender wrote, so none of it is rendered.
                var attached = action.UnsignedCbcContent == UnsignedCbcContent.Attachment;
                result.Decryption = attached ? DecryptionOutcome.DecryptedAttachment : DecryptionOutcome.KeptCiphertext;
                _log.Write(EventIds.SmimeUnsignedCbcContent, $"{label}: decrypted with key '{result.DecryptionKeyName}', but the content was encrypted without integrity protection ({result.ContentEncryption}) and no valid signature inside covers it; delivered {(attached ? "as an attachment" : "as ciphertext")} (rule '{action.RuleName}', UnsignedCbcContent={action.UnsignedCbcContent}).");
            }
            else
            {
                result.Decryption = DecryptionOutcome.Decrypted;
            }

            return;
        }

        result.Decryption = walk.NotForUs ? DecryptionOutcome.NotForUs : DecryptionOutcome.NotEncrypted;
    }

    private static List<RawHeaderField> Stamps(InboundSmimeResult result)
    {
        var stamps = new List<RawHeaderField>();
        if (result.Signature is { } status)
        {
            stamps.Add(RawHeaderField.Create(AgentHeaders.Signature, InboundSmimeHeaders.FormatSignature(status, result.SignerAddress, result.SignatureProblem)));
        }

        if (result.Decryption is { } outcome && outcome != DecryptionOutcome.NotEncrypted)
        {
            stamps.Add(RawHeaderField.Create(AgentHeaders.Decryption, InboundSmimeHeaders.FormatDecryption(outcome)));
        }

        return stamps;
    }

    private string? SubjectTag(SignatureStatus? status) => status switch
    {
        SignatureStatus.Valid => _options.Verify?.ValidSubjectTag,
        SignatureStatus.Invalid or SignatureStatus.Untrusted => _options.Verify?.InvalidSubjectTag,
        _ => null,
    };
}
