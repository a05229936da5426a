using System;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Smime.Inbound;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Runs the inbound S/MIME transform, then offers a valid external signer's certificate to the harvester (so replies
/// can be encrypted). Harvesting is a side benefit: its failure is logged by the harvester and never fails the message.
/// </summary>
internal sealed class HarvestingTransform : IMessageTransform
{
    private readonly InboundSmimeTransform _inbound;
    private readonly CertificateHarvester _harvester;
    private readonly bool _senderIsExternal;

    public HarvestingTransform(InboundSmimeTransform inbound, CertificateHarvester harvester, bool senderIsExternal)
    {
        _inbound = inbound;
        _harvester = harvester;
        _senderIsExternal = senderIsExternal;
    }

    public string Name => _inbound.Name;

    public void Apply(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        _inbound.Apply(source, destination, cancellationToken);
        if (_inbound.Result is { } result)
        {
            _harvester.Harvest(result, _senderIsExternal);
        }
    }
}
