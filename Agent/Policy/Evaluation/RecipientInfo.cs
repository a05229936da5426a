using System.Collections.Generic;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Policy.Evaluation;

/// <summary>One envelope recipient during an evaluation.</summary>
internal sealed class RecipientInfo
{
    public RecipientInfo(int index, string envelopeAddress, AddressInfo address, bool isInternal)
    {
        Index = index;
        EnvelopeAddress = envelopeAddress;
        Address = address.Address;
        DomainSuffixes = address.DomainSuffixes;
        IsInternal = isInternal;
    }

    public int Index { get; }

    /// <summary>The address as the host gave it (reported in decisions).</summary>
    public string EnvelopeAddress { get; }

    /// <summary>The address without angle brackets or surrounding space (what conditions compare).</summary>
    public string Address { get; }

    public IReadOnlyList<string> DomainSuffixes { get; }

    public bool IsInternal { get; }
}
