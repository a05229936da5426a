using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Smime;
using ExchangeEncryptionAgent.Smime.Inbound;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Builds what <see cref="MessagePlanner"/> decided: turns a planned copy's instructions into transforms and runs them
/// through the runtime's spool. Hosts ask it for each copy's content and then only make host calls (write, Fork,
/// routing, Defer, NDR). Thread-safe; one per runtime.
/// </summary>
public sealed class CopyBuilder
{
    private readonly IAgentLog _log;
    private readonly TransformChain _chain;
    private readonly Func<IMessageTransform, IMessageTransform>? _decorate;

    /// <summary>Creates a builder whose scratch files all go through <paramref name="temporaryFiles"/>.</summary>
    public CopyBuilder(TemporaryFileFactory temporaryFiles, IAgentLog log)
        : this(temporaryFiles, log, decorate: null)
    {
    }

    /// <summary>As above; <paramref name="decorate"/> wraps each transform (the fault matrix breaks crypto with it).</summary>
    internal CopyBuilder(TemporaryFileFactory temporaryFiles, IAgentLog log, Func<IMessageTransform, IMessageTransform>? decorate)
    {
        TemporaryFiles = Guard.NotNull(temporaryFiles);
        _log = Guard.NotNull(log);
        _chain = new TransformChain(temporaryFiles);
        _decorate = decorate;
    }

    /// <summary>The runtime's one temporary-file factory (hosts spool incoming messages with it too).</summary>
    public TemporaryFileFactory TemporaryFiles { get; }

    /// <summary>
    /// The finished content of <paramref name="copy"/> made from <paramref name="source"/> (readable, seekable): a
    /// delete-on-close file positioned at 0 that the caller disposes, or null when the copy's content is the message as
    /// it came. On failure every scratch file is already gone and the exception is the host's internal error.
    /// </summary>
    public Stream? Build(PlannedCopy copy, Stream source, CancellationToken cancellationToken)
    {
        Guard.NotNull(copy);
        Guard.NotNull(source);
        return copy.ChangesContent ? _chain.Run(source, Transforms(copy.Instructions), cancellationToken) : null;
    }

    /// <summary>The transforms for <paramref name="instructions"/>, in the order they run.</summary>
    internal IReadOnlyList<IMessageTransform> Transforms(CopyInstructions instructions)
    {
        var transforms = new List<IMessageTransform>();
        if (instructions.StripForeignHeaders)
        {
            transforms.Add(new ForeignHeaderStripTransform());
        }

        if (instructions.Inbound is { } inbound)
        {
            transforms.Add(Inbound(inbound));
        }

        if (instructions.Edits.Count > 0)
        {
            transforms.Add(new HeaderEditTransform(instructions.Edits));
        }

        if (instructions.ConvertTnef)
        {
            transforms.Add(new TnefToMimeTransform());
        }

        if (instructions.Sign is { } sign)
        {
            transforms.Add(new SmimeSignTransform(sign.Key, sign.Format, sign.Digest, sign.Padding, _log, TemporaryFiles));
        }

        if (instructions.Encrypt is { } encrypt)
        {
            var settings = encrypt.Settings;
            transforms.Add(new SmimeEncryptTransform(encrypt.Recipients, settings.Algorithm, settings.HeaderProtection, settings.SubjectPlaceholder, _log, encrypt.BlindRecipient));
        }

        return _decorate is null ? transforms : transforms.ConvertAll(t => _decorate(t));
    }

    private IMessageTransform Inbound(InboundInstruction inbound)
    {
        var policy = inbound.Policy;
        var options = new InboundSmimeOptions
        {
            Decrypt = inbound.Step.Decrypt,
            Verify = inbound.Step.Verify,
            ReceivedUtc = inbound.ReceivedUtc,
            MaxNestingDepth = policy.Policy.Settings.MaxSmimeNestingDepth,
            MessageId = inbound.MessageId,
            TemporaryFiles = TemporaryFiles,
        };
        var transform = new InboundSmimeTransform(options, policy.Certificates, _log);
        var harvesting = policy.Policy.Certificates.Harvesting;
        if (!harvesting.Enabled || inbound.Step.Verify is null)
        {
            return transform;
        }

        var harvester = new CertificateHarvester(harvesting, _log, Path.GetDirectoryName(policy.Policy.SourcePath));
        return new HarvestingTransform(transform, harvester, inbound.SenderIsExternal);
    }
}
