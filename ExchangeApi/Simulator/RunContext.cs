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
        _acceptedDomains = new SimulatedAcceptedDomainCollection(options.AcceptedDomains);
        AddressBook = new SimulatedAddressBook(_acceptedDomains, message.Recipients.Where(r => r.IsInternal).Select(r => r.Address));
    }

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
