using System;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using SmtpServer;
using SmtpServer.Protocol;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Notices a session that ends between DATA and the message's final dot (Postfix stopped, the connection was cut or
/// reset): SmtpServer then never calls the message store (it answers 554 to a half-closed connection, or faults the
/// session on a reset), so without this the gateway would log nothing at all, and an operator could not tell a lost
/// connection from a message that never came. Nothing was spooled, relayed or acknowledged, so the sender keeps the
/// message; the event (5009) says so.
/// </summary>
internal sealed class DataPhaseWatch
{
    /// <summary>Set when a DATA that will be answered 354 starts; removed when the whole message reached the store.</summary>
    private const string InData = "eea.data-in-progress";

    /// <summary>Set once the transaction has a recipient: only then does SmtpServer answer DATA with 354.</summary>
    private const string HasRecipient = "eea.has-recipient";

    private readonly IAgentLog _log;

    public DataPhaseWatch(IAgentLog log) => _log = log;

    /// <summary>Hooks <paramref name="server"/>'s session events.</summary>
    public void Attach(global::SmtpServer.SmtpServer server)
    {
        server.SessionCreated += (_, e) =>
        {
            var context = e.Context;
            context.CommandExecuting += (_, c) =>
            {
                if (c.Command is DataCommand && context.Properties.ContainsKey(HasRecipient))
                {
                    context.Properties[InData] = true;
                }
                else if (c.Command is MailCommand or RsetCommand)
                {
                    context.Properties.Remove(HasRecipient);
                }
            };
            context.CommandExecuted += (_, c) =>
            {
                // An executed RCPT: one in the transaction, or one the mailbox filter refused (EnvelopeAddressFilter). The
                // latter is harmless: with no accepted recipient SmtpServer refuses DATA (503) before executing it.
                if (c.Command is RcptCommand)
                {
                    context.Properties[HasRecipient] = true;
                }
                else if (c.Command is DataCommand)
                {
                    context.Properties.Remove(HasRecipient);
                    ReportIfDropped(context, null);
                }
            };
        };
        server.SessionCompleted += (_, e) => ReportIfDropped(e.Context, null);
        server.SessionCancelled += (_, e) => ReportIfDropped(e.Context, null);
        server.SessionFaulted += (_, e) =>
        {
            if (!ReportIfDropped(e.Context, e.Exception))
            {
                _log.Write(EventIds.GatewaySessionFaulted, "An SMTP session with Postfix failed; Postfix keeps the message and retries.", e.Exception);
            }
        };
    }

    /// <summary>The message store has the whole message: the DATA phase ended as it should.</summary>
    public static void MessageComplete(ISessionContext context) => context.Properties.Remove(InData);

    private bool ReportIfDropped(ISessionContext context, Exception? exception)
    {
        if (!context.Properties.Remove(InData))
        {
            return false;
        }

        _log.Write(EventIds.GatewaySessionDropped, "An SMTP session ended during DATA, before the message was complete; nothing was spooled, relayed or acknowledged, so the sender keeps the message and retries.", exception);
        return true;
    }
}
