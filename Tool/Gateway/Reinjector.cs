using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Hands copies back to Postfix with MailKit, one SMTP session per message. Postfix's 250 to each copy means it is
/// in Postfix's queue on disk; only then may the gateway answer 250 to the message it was given.
/// </summary>
internal sealed class Reinjector
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly GatewayOptions _options;

    public Reinjector(GatewayOptions options) => _options = options;

    /// <summary>Sends every copy; throws on the first one Postfix does not accept (the caller answers 4xx).</summary>
    public async Task SendAllAsync(IReadOnlyList<OutgoingCopy> copies, CancellationToken cancellationToken)
    {
        foreach (var group in copies.GroupBy(c => c.RequireTls))
        {
            var endPoint = group.Key
                ? _options.ReinjectTls ?? throw new InvalidOperationException("no forced-TLS re-injection service is configured")
                : _options.Reinject;
            await SendAsync(endPoint, group.ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(IPEndPoint endPoint, IReadOnlyList<OutgoingCopy> copies, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient
        {
            LocalDomain = _options.HostName,
            Timeout = (int)Timeout.TotalMilliseconds,
        };

        // Plain SMTP on loopback by design: Postfix's re-injection smtpd listens on 127.0.0.1 only, and TLS to the
        // world is Postfix's job (the forced-TLS service's transport requires verified TLS on the wire).
        await client.ConnectAsync(endPoint.Address.ToString(), endPoint.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
        foreach (var copy in copies)
        {
            copy.Content.Position = 0;

            // persistent: the parser keeps offsets into the spool file instead of loading the content into memory.
            using var message = await MimeMessage.LoadAsync(copy.Content, persistent: true, cancellationToken).ConfigureAwait(false);
            var sender = copy.MailFrom.Length == 0 ? NullReversePath : MailboxAddress.Parse(copy.MailFrom);
            await client.SendAsync(message, sender, copy.Recipients.Select(MailboxAddress.Parse), cancellationToken).ConfigureAwait(false);
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>MAIL FROM:&lt;&gt; for DSNs (and for messages that arrived with the null reverse path).</summary>
    private static MailboxAddress NullReversePath => new(string.Empty, string.Empty);
}
