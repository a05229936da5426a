using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeEncryptionAgent.Content.RawMime;
using MimeKit;

namespace ExchangeEncryptionAgent.Smime.Inbound;

/// <summary>
/// Who a message says wrote it, as the recipient will see it: the From mailbox when there is exactly one (one From
/// field naming one mailbox), and the Sender mailboxes. A signature is bound to a message only through the single
/// From mailbox the reader sees (RFC 8550 §3); two From fields, a From list or a group leave the reader guessing
/// which author the signature speaks for, so they bind nothing.
/// </summary>
internal sealed class SenderIdentity
{
    private SenderIdentity(string? from, bool hasFrom, IReadOnlyList<string> senders)
    {
        From = from;
        HasFrom = hasFrom;
        Senders = senders;
    }

    /// <summary>The single From mailbox address, or null when there is none or more than one.</summary>
    public string? From { get; }

    /// <summary>True when the header block has at least one From field (even an unusable one).</summary>
    public bool HasFrom { get; }

    /// <summary>The Sender mailbox addresses.</summary>
    public IReadOnlyList<string> Senders { get; }

    /// <summary>The identity of one header block.</summary>
    public static SenderIdentity Of(RawHeaderBlock headers) => Of(headers, headers);

    /// <summary>The From of <paramref name="fromHeaders"/> with the Sender of <paramref name="senderHeaders"/>, as a merged header block shows them.</summary>
    public static SenderIdentity Of(RawHeaderBlock fromHeaders, RawHeaderBlock senderHeaders)
    {
        var fromFields = fromHeaders.Fields.Where(f => f.Is("From")).ToList();
        string? from = null;
        if (fromFields.Count == 1
            && InternetAddressList.TryParse(ParserOptions.Default, fromFields[0].UnfoldedBytes, out var list)
            && list.Count == 1 && list[0] is MailboxAddress mailbox)
        {
            from = mailbox.Address.Trim();
        }

        var senders = new List<string>();
        foreach (var field in senderHeaders.Fields.Where(f => f.Is("Sender")))
        {
            if (InternetAddressList.TryParse(ParserOptions.Default, field.UnfoldedBytes, out var senderList))
            {
                senders.AddRange(senderList.Mailboxes.Select(m => m.Address.Trim()));
            }
        }

        return new SenderIdentity(from, fromFields.Count > 0, senders);
    }

    /// <summary>True when both name the same single From mailbox.</summary>
    public bool SameFrom(SenderIdentity other)
        => From is not null && other.From is not null && string.Equals(From, other.From, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Binds a signer certificate's addresses to this identity: None with the From address when the certificate names
    /// the single From mailbox; otherwise why not (no single From, only the Sender matches, or nothing matches).
    /// </summary>
    public (SignatureProblem Problem, string? Matched) Bind(IReadOnlyList<string> certificateAddresses)
    {
        if (From is not null && SignerCertificatePolicy.MatchSender(certificateAddresses, new[] { From }) is { } matched)
        {
            return (SignatureProblem.None, matched);
        }

        if (From is null)
        {
            return (SignatureProblem.FromNotSingle, null);
        }

        return SignerCertificatePolicy.MatchSender(certificateAddresses, Senders) is { } sender
            ? (SignatureProblem.SignerIsSender, sender)
            : (SignatureProblem.AddressMismatch, null);
    }
}
