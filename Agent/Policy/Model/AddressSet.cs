using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Email addresses compared case-insensitively (the whole address; Exchange compares primary SMTP addresses).</summary>
internal sealed class AddressSet
{
    private readonly HashSet<string> _set;

    /// <summary>Creates the set.</summary>
    public AddressSet(IReadOnlyList<string> addresses)
    {
        Values = Guard.NotNull(addresses).Select(a => a.Trim()).ToArray();
        _set = new HashSet<string>(Values, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The addresses as written.</summary>
    public IReadOnlyList<string> Values { get; }

    internal string? Find(string? address) => address is not null && _set.Contains(address) ? address : null;

    /// <summary>The first configured address that is in the To or Cc header of <paramref name="message"/>.</summary>
    internal string? FindInToOrCc(MessageContext message)
    {
        foreach (var address in Values)
        {
            if (message.IsInToOrCc(address))
            {
                return address;
            }
        }

        return null;
    }
}
