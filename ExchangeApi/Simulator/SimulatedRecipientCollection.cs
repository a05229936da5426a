using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Exchange.Data.Transport;
using Microsoft.Exchange.Data.Transport.Routing;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace ExchangeApi.Simulator;

internal sealed class SimulatedRecipientCollection(SimulatedMailItem item) : EnvelopeRecipientCollection
{
    public override int Count
    {
        get
        {
            item.CheckAccess();
            return item.RecipientList.Count;
        }
    }

    // Exchange quirk: recipients can be added only while the message is submitted (before resolution).
    public override bool CanAdd
    {
        get
        {
            item.CheckAccess();
            return IsSubmitted;
        }
    }

    private bool IsSubmitted => string.Equals(item.CurrentTopic, RoutingAgent.SubmittedMessageTopic, StringComparison.Ordinal);

    public override EnvelopeRecipient this[int index]
    {
        get
        {
            item.CheckAccess();
            return item.RecipientList[index];
        }
    }

    public override bool Contains(RoutingAddress address)
    {
        item.CheckAccess();
        return item.RecipientList.Any(r => r.AddressText.Equals(address.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    // Walks the live list: changing the recipients while enumerating throws InvalidOperationException here, which is
    // stricter than a real server (where it silently skips) and so catches the bug.
    public override Enumerator GetEnumerator()
    {
        item.CheckAccess();
        return new Enumerator(new CheckedEnumerator(item, ((IEnumerable<EnvelopeRecipient>)item.RecipientList).GetEnumerator()));
    }

    public override void Add(RoutingAddress address)
    {
        item.CheckAccess();
        if (!IsSubmitted)
        {
            throw new NotSupportedException("Recipients can only be added in the OnSubmittedMessage event.");
        }

        if (!address.IsValid)
        {
            throw new ArgumentException("The address is not a valid SMTP address: " + address, nameof(address));
        }

        item.AddRecipient(address);
    }

    public override void Clear()
    {
        item.CheckAccess();
        ThrowRemoveFault();
        item.Run.Recorder.Dropped(item.RecipientAddresses, DropReason.Cleared, item.CurrentTopic);
        item.DetachAll();
    }

    public override bool Remove(EnvelopeRecipient recipient)
    {
        item.CheckAccess();
        ThrowRemoveFault();
        return RemoveSilently(recipient, DropReason.Removed);
    }

    public override int Remove(RoutingAddress address)
    {
        item.CheckAccess();
        ThrowRemoveFault();
        var matches = item.RecipientList.Where(r => r.AddressText.Equals(address.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count(r => RemoveSilently(r, DropReason.Removed));
    }

    public override bool Remove(EnvelopeRecipient recipient, DsnType dsnType, SmtpResponse smtpResponse) =>
        RemoveWithDsn(recipient, dsnType, smtpResponse, null);

    public override bool Remove(EnvelopeRecipient recipient, DsnType dsnType, SmtpResponse smtpResponse, string sourceContext) =>
        RemoveWithDsn(recipient, dsnType, smtpResponse, sourceContext);

    private bool RemoveWithDsn(EnvelopeRecipient recipient, DsnType dsnType, SmtpResponse smtpResponse, string? sourceContext)
    {
        item.CheckAccess();
        ThrowRemoveFault();
        switch (dsnType)
        {
            case DsnType.Expanded:
                return RemoveSilently(recipient, DropReason.Expanded);
            case DsnType.Failure:
                if (recipient is not SimulatedEnvelopeRecipient simulated || !item.RemoveRecipient(simulated))
                {
                    return false;
                }

                item.Run.Recorder.NonDelivery(new NonDelivery(
                    simulated.AddressText,
                    smtpResponse.StatusCode,
                    smtpResponse.EnhancedStatusCode,
                    string.Join(" ", smtpResponse.StatusText),
                    item.CurrentTopic,
                    sourceContext));
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(dsnType), dsnType, "Unknown DSN type.");
        }
    }

    private void ThrowRemoveFault()
    {
        if (item.Run.Options.RecipientRemoveFault is { } fault)
        {
            throw fault();
        }
    }

    private bool RemoveSilently(EnvelopeRecipient recipient, DropReason reason)
    {
        if (recipient is not SimulatedEnvelopeRecipient simulated)
        {
            return false;
        }

        var address = simulated.AddressText;
        if (!item.RemoveRecipient(simulated))
        {
            return false;
        }

        item.Run.Recorder.Dropped([address], reason, item.CurrentTopic);
        return true;
    }

    private sealed class CheckedEnumerator(SimulatedMailItem item, IEnumerator<EnvelopeRecipient> inner) : IEnumerator<EnvelopeRecipient>
    {
        public EnvelopeRecipient Current => inner.Current;

        object IEnumerator.Current => inner.Current;

        public bool MoveNext()
        {
            item.CheckAccess();
            return inner.MoveNext();
        }

        public void Reset() => inner.Reset();

        public void Dispose() => inner.Dispose();
    }
}
