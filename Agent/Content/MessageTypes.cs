using System;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// What kind of message it is (MessageTypeMatches). Flags: a signed meeting request is both. The values without a
/// prefix are Exchange's, with Exchange's meaning; values that start with "Eea" are this agent's additions, named so
/// nobody mistakes them for Exchange's.
/// </summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Exchange's MessageTypeMatches vocabulary.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "Exchange's MessageTypeMatches vocabulary.")]
public enum MessageTypes
{
    /// <summary>An ordinary message.</summary>
    None = 0,
    /// <summary>S/MIME enveloped or authEnveloped data, or PGP/MIME multipart/encrypted.</summary>
    Encrypted = 1,
    /// <summary>multipart/signed, or S/MIME signed-data.</summary>
    Signed = 2,
    /// <summary>A meeting request or response: a text/calendar body part (not an attached .ics file) whose method is not PUBLISH, or Content-Class calendarmessage.</summary>
    Calendaring = 4,
    /// <summary>An automatic (out-of-office) reply: Auto-Submitted: auto-replied (RFC 3834, what Exchange writes on OOF replies) or the common X-Autoreply headers.</summary>
    OOF = 8,
    /// <summary>A message an inbox rule forwarded or redirected (X-MS-Exchange-Inbox-Rules-Loop, Auto-Submitted: auto-forwarded).</summary>
    AutoForward = 16,
    /// <summary>Rights-managed (IRM/RMS) mail: a message.rpmsg attachment or Content-Class rpmsg.message.</summary>
    PermissionControlled = 32,
    /// <summary>A voice mail (Content-Class voice or voice-uc).</summary>
    Voicemail = 64,
    /// <summary>A moderation approval request (Exchange's X-MS-Exchange-Organization-Approval-* headers).</summary>
    ApprovalRequest = 128,
    /// <summary>A read receipt: multipart/report; report-type=disposition-notification.</summary>
    ReadReceipt = 256,
    /// <summary>Not an Exchange value: a delivery status notification, multipart/report; report-type=delivery-status.</summary>
    EeaDeliveryReport = 512,
}
