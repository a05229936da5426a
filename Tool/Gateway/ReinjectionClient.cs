using MailKit.Net.Smtp;
using MimeKit;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// A MailKit session that knows whether Postfix accepted MAIL FROM in the current transaction. Until it has, Postfix
/// has queued nothing, so a kept-open session found dead at that point may be replaced and the copy sent again
/// without any risk of queueing it twice (<see cref="Reinjector"/>).
/// </summary>
internal sealed class ReinjectionClient : SmtpClient
{
    /// <summary>True once Postfix answered 250 to MAIL FROM since <see cref="BeginTransaction"/>.</summary>
    public bool SenderAccepted { get; private set; }

    /// <summary>Call before each copy.</summary>
    public void BeginTransaction() => SenderAccepted = false;

    /// <inheritdoc />
    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderAccepted = true;
        base.OnSenderAccepted(message, mailbox, response);
    }
}
