using System;
using System.Collections;
using System.Collections.Generic;
using Microsoft.Exchange.Data.Transport.Smtp;

namespace Microsoft.Exchange.Data.Transport;

public abstract class EnvelopeRecipientCollection : ReadOnlyEnvelopeRecipientCollection
{
    internal EnvelopeRecipientCollection()
    {
    }

    // True only in OnSubmittedMessage; Add throws NotSupportedException elsewhere.
    public abstract bool CanAdd { get; }

    public abstract void Add(RoutingAddress address);

    public abstract void Clear();

    // Silent drop: no NDR. False when the recipient is not (or no longer) on this item.
    public abstract bool Remove(EnvelopeRecipient recipient);

    public abstract int Remove(RoutingAddress address);

    // With DsnType.Failure: the recipient gets an NDR carrying smtpResponse.
    public abstract bool Remove(EnvelopeRecipient recipient, DsnType dsnType, SmtpResponse smtpResponse);

    public abstract bool Remove(EnvelopeRecipient recipient, DsnType dsnType, SmtpResponse smtpResponse, string sourceContext);

    public struct Enumerator : IEnumerator<EnvelopeRecipient>
    {
        private readonly IEnumerator<EnvelopeRecipient>? _inner;

        internal Enumerator(IEnumerator<EnvelopeRecipient> inner)
        {
            _inner = inner;
        }

        public EnvelopeRecipient Current => Inner.Current;

        object IEnumerator.Current => Current;

        private readonly IEnumerator<EnvelopeRecipient> Inner =>
            _inner ?? throw new InvalidOperationException("The enumerator was not obtained from a recipient collection.");

        public bool MoveNext() => Inner.MoveNext();

        public void Reset() => Inner.Reset();

        public void Dispose() => _inner?.Dispose();
    }
}
