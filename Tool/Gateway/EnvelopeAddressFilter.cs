using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Storage;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Refuses, at MAIL FROM and RCPT TO, an address the re-injection client could not send to. SmtpServer's parser
/// accepts local parts MimeKit's address parser does not (found by the gateway fuzz target: a recipient whose local
/// part held spaces and colons); such a message could be received and processed but never handed back to Postfix, so
/// every attempt ended in a 451 and Postfix retried the whole message until its queue lifetime ran out. A 5xx for
/// the one address is the defined outcome instead: Postfix bounces that recipient and delivers to the others.
/// </summary>
internal sealed class EnvelopeAddressFilter : IMailboxFilter
{
    private readonly IAgentLog _log;

    public EnvelopeAddressFilter(IAgentLog log) => _log = log;

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
        => Task.FromResult(CanSendTo(GatewayMessageStore.Address(from), "MAIL FROM", allowNullReversePath: true));

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        => Task.FromResult(CanSendTo(GatewayMessageStore.Address(to), "RCPT TO", allowNullReversePath: false));

    private bool CanSendTo(string address, string command, bool allowNullReversePath)
    {
        // The same parse the re-injection does (Reinjector: MailboxAddress.Parse of the same "user@host").
        if ((address.Length == 0 && allowNullReversePath) || MailboxAddress.TryParse(address, out _))
        {
            return true;
        }

        _log.Write(EventIds.GatewayAddressRefused, $"{command} <{AsciiText.Sanitize(address, 200)}> refused: the gateway could not re-inject mail for it.");
        return false;
    }
}
