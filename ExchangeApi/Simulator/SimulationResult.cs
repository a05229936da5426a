using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ExchangeApi.Simulator;

// The outcome of one message through the simulated pipeline. Owns the run's temporary files: dispose it.
public sealed class SimulationResult : IDisposable
{
    private readonly TempFileStore _store;

    internal SimulationResult(
        TempFileStore store,
        IReadOnlyList<DeliveredCopy> delivered,
        IReadOnlyList<NonDelivery> nonDeliveries,
        IReadOnlyList<Deferral> deferrals,
        IReadOnlyList<DroppedRecipient> dropped,
        IReadOnlyList<TransportCrash> crashes,
        IReadOnlyList<TransportViolation> violations)
    {
        _store = store;
        Delivered = delivered;
        NonDeliveries = nonDeliveries;
        Deferrals = deferrals;
        Dropped = dropped;
        Crashes = crashes;
        Violations = violations;
    }

    public IReadOnlyList<DeliveredCopy> Delivered { get; }

    public IReadOnlyList<NonDelivery> NonDeliveries { get; }

    public IReadOnlyList<Deferral> Deferrals { get; }

    public IReadOnlyList<DroppedRecipient> Dropped { get; }

    public IReadOnlyList<TransportCrash> Crashes { get; }

    public IReadOnlyList<TransportViolation> Violations { get; }

    // No crash and no broken rule: what every well-behaved agent run must show.
    public bool Healthy => Crashes.Count == 0 && Violations.Count == 0;

    public bool TransportServiceStopped => Crashes.Any(c => c.Kind == TransportCrashKind.TransportServiceStopped);

    // The run's temporary directory; gone after Dispose.
    public string TemporaryDirectory => _store.DirectoryPath;

    public bool HasViolation(string name) => Violations.Any(v => string.Equals(v.Name, name, StringComparison.Ordinal));

    public void Dispose() => _store.Dispose();

    // One line per outcome: readable in a failed assertion's message.
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var copy in Delivered)
        {
            text.AppendLine("delivered to " + string.Join(", ", copy.Recipients.Select(r => r.Address)) + " (" + copy.Length + " bytes)");
        }

        foreach (var n in NonDeliveries)
        {
            text.AppendLine("NDR " + n.Recipient + ": " + n.StatusCode + " " + n.EnhancedStatusCode + " " + n.StatusText);
        }

        foreach (var d in Deferrals)
        {
            text.AppendLine("deferred " + string.Join(", ", d.Recipients) + " for " + d.WaitTime + " in " + d.EventTopic);
        }

        foreach (var d in Dropped)
        {
            text.AppendLine("dropped " + d.Address + " (" + d.Reason + ") in " + d.EventTopic);
        }

        foreach (var c in Crashes)
        {
            text.AppendLine(c.Kind + " in " + c.EventTopic + ": " + c.ExceptionType + ": " + c.Message);
        }

        foreach (var v in Violations)
        {
            text.AppendLine("violation " + v.Name + " in " + v.EventTopic + ": " + v.Description);
        }

        return text.Length == 0 ? "nothing happened" : text.ToString().TrimEnd();
    }
}
