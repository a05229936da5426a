namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// How the message entered the organisation, as the host saw it. Only the host's word makes a sender internal:
/// a From or MAIL FROM in the organisation's domain, a null reverse path or a subdomain prove nothing, since anyone
/// on the Internet can write them.
/// </summary>
public enum SubmissionOrigin
{
    /// <summary>The host did not say. Treated as outside.</summary>
    Unknown,

    /// <summary>Submitted from a mailbox (Outlook, OWA, ActiveSync: Exchange's InboundDeliveryMethod Mailbox). Inside.</summary>
    Mailbox,

    /// <summary>Submitted over SMTP by an authenticated submitter (Exchange: OriginalAuthenticator set and not "&lt;&gt;"). Inside.</summary>
    SmtpAuthenticated,

    /// <summary>Received over SMTP from an anonymous submitter (Exchange: OriginalAuthenticator "&lt;&gt;"). Outside.</summary>
    SmtpAnonymous,

    /// <summary>
    /// Dropped into the pickup (or replay) folder of the transport server (Exchange: InboundDeliveryMethod File). Inside:
    /// only administrators and local services can write there, so the file system's access control is the authentication.
    /// </summary>
    Pickup,
}
