using System;
using System.Collections.Generic;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// The SMTP envelope of one message as the host sees it: MAIL FROM, RCPT TO, and what the host knows about
/// where each party lives. Host-neutral: the Exchange adapter, the simulator and the tool all build one.
/// </summary>
public sealed class MessageEnvelope
{
    /// <summary>
    /// Creates an envelope; <paramref name="mailFrom"/> is empty for the null reverse path (&lt;&gt;).
    /// <paramref name="hostOrganizationDomains"/> are the host's accepted domains that are inside the organisation
    /// (Exchange: AcceptedDomain.NameSpecification where IsInCorporation; wildcards "*.contoso.com" and "*" allowed).
    /// </summary>
    public MessageEnvelope(
        string mailFrom,
        IReadOnlyList<EnvelopeRecipientInput> recipients,
        SubmissionOrigin origin = SubmissionOrigin.Unknown,
        IReadOnlyList<string>? hostOrganizationDomains = null,
        string? authenticatedSubmitter = null)
    {
        MailFrom = mailFrom ?? string.Empty;
        Recipients = Guard.NotNull(recipients);
        Origin = origin;
        HostOrganizationDomains = hostOrganizationDomains ?? Array.Empty<string>();
        AuthenticatedSubmitter = string.IsNullOrWhiteSpace(authenticatedSubmitter) ? null : authenticatedSubmitter;
    }

    /// <summary>The P1 sender (MAIL FROM); empty for the null reverse path.</summary>
    public string MailFrom { get; }

    /// <summary>The P1 recipients (RCPT TO), in envelope order.</summary>
    public IReadOnlyList<EnvelopeRecipientInput> Recipients { get; }

    /// <summary>How the host says the message was submitted.</summary>
    public SubmissionOrigin Origin { get; }

    /// <summary>
    /// True when the host says the submitter is inside the organisation: a mailbox, an authenticated SMTP submitter
    /// or the pickup folder (FromScope InOrganization). Nothing in the message or the MAIL FROM can make it true.
    /// </summary>
    public bool SenderIsInternal => Origin is SubmissionOrigin.Mailbox or SubmissionOrigin.SmtpAuthenticated or SubmissionOrigin.Pickup;

    /// <summary>
    /// The address the host vouches submitted the message (Exchange: the MAIL FROM of a mailbox submission, or of an
    /// authenticated SMTP client, for which Exchange enforces Send-As); null when the host cannot vouch. The only
    /// answer to "whose personal key may sign": a From header is written by whoever sends.
    /// </summary>
    public string? AuthenticatedSubmitter { get; }

    /// <summary>Domains the host treats as its own (Exchange: accepted domains), in addition to the policy's.</summary>
    public IReadOnlyList<string> HostOrganizationDomains { get; }
}
