using System;
using System.Collections.Generic;
using MimeKit;

namespace ExchangeEncryptionAgent.Content;

/// <summary>An address with its domain and the domain's suffixes (mail.contoso.com, contoso.com, com), computed once.</summary>
internal sealed class AddressInfo
{
    private static readonly AddressInfo EmptyAddress = new(string.Empty, string.Empty, Array.Empty<string>());

    private AddressInfo(string address, string domain, IReadOnlyList<string> suffixes)
    {
        Address = address;
        Domain = domain;
        DomainSuffixes = suffixes;
    }

    public string Address { get; }

    public string Domain { get; }

    public IReadOnlyList<string> DomainSuffixes { get; }

    public static AddressInfo Of(string address)
    {
        var trimmed = address.Trim().Trim('<', '>');
        if (trimmed.Length == 0)
        {
            return EmptyAddress;
        }

        var at = trimmed.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : trimmed.Substring(at + 1).TrimEnd('.').ToLowerInvariant();
        var suffixes = new List<string>();
        var start = 0;
        while (start < domain.Length)
        {
            suffixes.Add(start == 0 ? domain : domain.Substring(start));
            var dot = domain.IndexOf('.', start);
            if (dot < 0)
            {
                break;
            }

            start = dot + 1;
        }

        return new AddressInfo(trimmed, domain, suffixes);
    }
}
