using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Where SmtpServer hands each received message: spooled to a 0600 delete-on-close file at once, relayed, and
/// answered with the relay's outcome. The 250 goes out only after every copy is in Postfix's queue.
/// </summary>
internal sealed class GatewayMessageStore : MessageStore
{
    private readonly GatewayRelay _relay;
    private readonly AgentRuntime _runtime;
    private readonly IReadOnlyList<GatewayListener> _listeners;

    public GatewayMessageStore(GatewayRelay relay, AgentRuntime runtime, IReadOnlyList<GatewayListener> listeners)
    {
        _relay = relay;
        _runtime = runtime;
        _listeners = listeners;
    }

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        DataPhaseWatch.MessageComplete(context);
        try
        {
            var listener = _listeners.FirstOrDefault(l => l.EndPoint.Equals(context.EndpointDefinition.Endpoint));
            if (listener is null)
            {
                _runtime.Log.Write(EventIds.GatewayInternalError, $"Message {id}: arrived on {context.EndpointDefinition.Endpoint}, which is no configured listener; answered 451.");
                return TryAgain(RelayOutcome.TryAgain("4.3.5", "Listener not configured"));
            }

            using var spool = _runtime.TemporaryFiles.Create();
            foreach (var segment in buffer)
            {
                await spool.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }

            await spool.FlushAsync(cancellationToken).ConfigureAwait(false);
            var mailFrom = Address(transaction.From);
            var recipients = transaction.To.Select(Address).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var outcome = await _relay.RelayAsync(mailFrom, recipients, listener.Origin, spool, id, cancellationToken).ConfigureAwait(false);
            return outcome.Accepted
                ? new SmtpResponse(SmtpReplyCode.Ok, $"{outcome.EnhancedStatusCode} {outcome.Text} (id {id})")
                : TryAgain(outcome);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Mail flow never breaks on us: whatever went wrong, Postfix keeps the message and retries.
            _runtime.Log.Write(EventIds.GatewayInternalError, $"Message {id}: unexpected failure; answered 451.", ex);
            return TryAgain(RelayOutcome.TryAgain("4.3.0", "Encryption gateway error; try again later"));
        }
    }

    private static SmtpResponse TryAgain(RelayOutcome outcome)
        => new(SmtpReplyCode.Aborted, $"{outcome.EnhancedStatusCode} {AsciiText.Sanitize(outcome.Text, 300)}");

    /// <summary>"user@host", or empty for the null reverse path.</summary>
    internal static string Address(IMailbox? mailbox)
        => mailbox is null || (string.IsNullOrEmpty(mailbox.User) && string.IsNullOrEmpty(mailbox.Host)) ? string.Empty : mailbox.AsAddress();
}
