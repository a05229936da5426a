using System;
using Microsoft.Exchange.Data.Mime;

namespace Microsoft.Exchange.Data.Transport.Email;

// Read-only subset of the live parsed message (P2) that a routing agent consults before rewriting it. The values track
// the current MIME content: after a write stream is committed they describe the new message.
public sealed class EmailMessage : IDisposable
{
    private readonly IEmailMessageFacts _facts;

    internal EmailMessage(IEmailMessageFacts facts)
    {
        _facts = facts ?? throw new ArgumentNullException(nameof(facts));
    }

    public string Subject => _facts.Subject;

    public string MessageId => _facts.MessageId;

    // True for NDRs, DSNs and MDNs (top-level multipart/report): system messages are read-only, never rewrite them.
    public bool IsSystemMessage => _facts.IsSystemMessage;

    // True when the body is opaque to transport (S/MIME enveloped or opaque-signed, PGP/MIME encrypted).
    public bool IsOpaqueMessage => _facts.IsOpaqueMessage;

    public MessageSecurityType MessageSecurityType => _facts.MessageSecurityType;

    // The application/ms-tnef part while the content is still Summary-TNEF (mail submitted from a mailbox, before content
    // conversion); null once it is MIME. Agents that change content wait until it is null (OnCategorizedMessage).
    public MimePart? TnefPart => _facts.TnefPart;

    public void Dispose()
    {
    }
}

// Host hook: what the host knows about the current content. Each member may throw (for example "Message Deferred").
internal interface IEmailMessageFacts
{
    string Subject { get; }

    string MessageId { get; }

    bool IsSystemMessage { get; }

    bool IsOpaqueMessage { get; }

    MessageSecurityType MessageSecurityType { get; }

    MimePart? TnefPart { get; }
}
