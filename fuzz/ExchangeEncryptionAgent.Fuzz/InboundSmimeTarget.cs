using System.IO;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Smime.Inbound;

namespace ExchangeEncryptionAgent.Fuzz;

/// <summary>
/// Target "smime": the bytes as an inbound message through InboundSmimeTransform (SmimeLayerWalker: MIME slices,
/// CMS enveloped, auth-enveloped and signed data, nested layers) with the fixture's decryption key and trust
/// anchors. The only exception it may throw is <see cref="MessageTransformException"/>, which the pipeline turns
/// into the rule's failure action; temporary files never outlive the message.
/// </summary>
public sealed class InboundSmimeTarget : IFuzzTarget
{
    private readonly FuzzFixture _fixture;
    private readonly RecordingLog _log = new();

    /// <summary>Creates the target over <paramref name="fixture"/>.</summary>
    public InboundSmimeTarget(FuzzFixture fixture) => _fixture = fixture;

    /// <inheritdoc />
    public string Name => "smime";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        _log.Clear();

        // The input's length picks the rule's settings, so the fuzzer reaches every delivery and failure branch.
        var variant = input.Length % 3;
        var options = new InboundSmimeOptions
        {
            Decrypt = new DecryptSmimeAction
            {
                Deliver = variant == 2 ? DecryptedDelivery.Ciphertext : DecryptedDelivery.Decrypted,
                OnFailure = variant == 1 ? InboundFailureAction.Defer : InboundFailureAction.PassThrough,
                UnsignedCbcContent = variant == 1 ? UnsignedCbcContent.Deliver : UnsignedCbcContent.Attachment,
            },
            Verify = new VerifySmimeAction { InvalidSubjectTag = "[signature invalid]", ValidSubjectTag = "[signed]" },
            ReceivedUtc = FuzzFixture.ReceivedUtc,
            MessageId = "fuzz",
            TemporaryFiles = new TemporaryFileFactory(_fixture.SpoolDirectory),
        };
        var transform = new InboundSmimeTransform(options, _fixture.Policy.Certificates, _log);
        using var output = new MemoryStream();
        try
        {
            transform.Apply(new MemoryStream(input, writable: false), output, default);
            if (output.Length == 0)
            {
                throw new FuzzFindingException("the transform wrote no message and threw nothing");
            }
        }
        catch (MessageTransformException)
        {
            // Defer (OnFailure) or an unreadable header block: the pipeline's documented outcome, nothing written.
            if (output.Length != 0)
            {
                throw new FuzzFindingException($"the transform failed after writing {output.Length} bytes");
            }
        }

        _fixture.EnsureSpoolEmpty();
    }
}
