using System.Collections;
using System.Collections.Generic;

namespace Microsoft.Exchange.Data.Transport;

public abstract class ReadOnlyEnvelopeRecipientCollection : IEnumerable<EnvelopeRecipient>
{
    internal ReadOnlyEnvelopeRecipientCollection()
    {
    }

    public abstract int Count { get; }

    public abstract EnvelopeRecipient this[int index] { get; }

    public abstract bool Contains(RoutingAddress address);

    // Walks the live recipient list: copy it to a List<EnvelopeRecipient> before removing or forking inside a loop.
    public abstract EnvelopeRecipientCollection.Enumerator GetEnumerator();

    IEnumerator<EnvelopeRecipient> IEnumerable<EnvelopeRecipient>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
