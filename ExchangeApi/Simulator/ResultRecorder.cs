using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeApi.Simulator;

// Collects what happens during a run. Agent worker threads may report too, so every list is guarded; once the run is
// over the recorder is frozen and late reports from abandoned workers are ignored.
internal sealed class ResultRecorder
{
    private readonly object _sync = new();
    private readonly List<DeliveredCopy> _delivered = [];
    private readonly List<NonDelivery> _nonDeliveries = [];
    private readonly List<Deferral> _deferrals = [];
    private readonly List<DroppedRecipient> _dropped = [];
    private readonly List<TransportCrash> _crashes = [];
    private readonly List<TransportViolation> _violations = [];
    private bool _frozen;

    public void Delivered(DeliveredCopy copy) => Add(_delivered, copy);

    public void NonDelivery(NonDelivery nonDelivery) => Add(_nonDeliveries, nonDelivery);

    public void Deferral(Deferral deferral) => Add(_deferrals, deferral);

    public void Dropped(IEnumerable<string> addresses, DropReason reason, string eventTopic)
    {
        foreach (var address in addresses)
        {
            Add(_dropped, new DroppedRecipient(address, reason, eventTopic));
        }
    }

    public void Crash(TransportCrashKind kind, string eventTopic, Exception exception) =>
        Add(_crashes, new TransportCrash(kind, eventTopic, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception));

    public void Violation(string name, int? eventId, string eventTopic, string description, IEnumerable<string>? recipients = null) =>
        Add(_violations, new TransportViolation(name, eventId, eventTopic, description, recipients?.ToArray() ?? []));

    public SimulationResult Freeze(TempFileStore store)
    {
        lock (_sync)
        {
            _frozen = true;
            return new SimulationResult(
                store,
                [.. _delivered],
                [.. _nonDeliveries],
                [.. _deferrals],
                [.. _dropped],
                [.. _crashes],
                [.. _violations]);
        }
    }

    private void Add<T>(List<T> list, T item)
    {
        lock (_sync)
        {
            if (!_frozen)
            {
                list.Add(item);
            }
        }
    }
}
