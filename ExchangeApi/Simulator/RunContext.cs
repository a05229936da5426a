using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Exchange.Data.Transport;

namespace ExchangeApi.Simulator;

// What all mail items of one run share: options, temp files, the recorder, the directory, and the queue of items still
// to categorize (the original first, then fork clones in the order they were made).
internal sealed class RunContext
{
    private readonly Queue<SimulatedMailItem> _pending = new();
    private readonly SimulatedAcceptedDomainCollection _acceptedDomains;

    public RunContext(TransportSimulatorOptions options, TempFileStore store, ResultRecorder recorder, SimulatedMessage message)
    {
        Options = options;
        Store = store;
        Recorder = recorder;
        _acceptedDomains = new SimulatedAcceptedDomainCollection(options.AcceptedDomains, options.ExternalRelayDomains);
        AddressBook = new SimulatedAddressBook(_acceptedDomains, message.Recipients.Where(r => r.IsInternal).Select(r => r.Address));
        var from = new RoutingAddress(message.FromAddress);
        Origin = message.Origin ?? OriginOf(message.InboundDeliveryMethod, message.OriginalAuthenticator)
            ?? (from.IsValid && from != RoutingAddress.NullReversePath && _acceptedDomains.Find(from) is { IsInCorporation: true }
                ? SimulatedOrigin.Mailbox
                : SimulatedOrigin.SmtpAnonymous);
    }

    public SimulatedOrigin Origin { get; }

    // A test that names the delivery method or the authenticator instead of an origin.
    private static SimulatedOrigin? OriginOf(DeliveryMethod? method, string? authenticator) => method switch
    {
        DeliveryMethod.Mailbox => SimulatedOrigin.Mailbox,
        DeliveryMethod.File => SimulatedOrigin.Pickup,
        _ => authenticator switch
        {
            null => null,
            "<>" => SimulatedOrigin.SmtpAnonymous,
            "" => method is null ? null : SimulatedOrigin.SmtpAnonymous,
            _ => SimulatedOrigin.SmtpAuthenticated,
        },
    };

    public DeliveryMethod InboundDeliveryMethod => Origin switch
    {
        SimulatedOrigin.Mailbox => DeliveryMethod.Mailbox,
        SimulatedOrigin.Pickup => DeliveryMethod.File,
        _ => DeliveryMethod.Smtp,
    };

    // Exchange's RecipientCategory follows the message's directionality, not the recipient: Incoming for every
    // recipient of Internet mail, Unknown when undefined, and InSameOrganization for every accepted domain (ExternalRelay
    // included) when sent from inside.
    public RecipientCategory CategoryOf(RoutingAddress address, bool declaredInternal) => Origin switch
    {
        SimulatedOrigin.SmtpAnonymous => RecipientCategory.Incoming,
        SimulatedOrigin.Pickup => RecipientCategory.Unknown,
        _ => declaredInternal || _acceptedDomains.Find(address) is not null ? RecipientCategory.InSameOrganization : RecipientCategory.InDifferentOrganization,
    };

    public TransportSimulatorOptions Options { get; }

    public TempFileStore Store { get; }

    public ResultRecorder Recorder { get; }

    public AddressBook AddressBook { get; }

    // Exchange hands every CreateAgent call its own SmtpServer clone.
    public SmtpServer NewSmtpServer() => new SimulatedSmtpServer(Options.ServerName, Options.ServerVersion, AddressBook, _acceptedDomains);

    public void Enqueue(SimulatedMailItem item)
    {
        lock (_pending)
        {
            _pending.Enqueue(item);
        }
    }

    public bool TryDequeue(out SimulatedMailItem item)
    {
        lock (_pending)
        {
            return _pending.TryDequeue(out item!);
        }
    }
}
