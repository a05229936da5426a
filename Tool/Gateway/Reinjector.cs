using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MimeKit;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Hands copies back to Postfix with MailKit over sessions kept open between messages (<see cref="ReinjectionPool"/>).
/// Postfix's 250 to each copy means it is in Postfix's queue on disk; only then may the gateway answer 250 to the
/// message it was given.
/// </summary>
internal sealed class Reinjector : IDisposable
{
    private readonly ReinjectionPool _plain;
    private readonly ReinjectionPool? _forcedTls;

    public Reinjector(GatewayOptions options)
    {
        _plain = new ReinjectionPool(options.Reinject, options.HostName);
        _forcedTls = options.ReinjectTls is null ? null : new ReinjectionPool(options.ReinjectTls, options.HostName);
    }

    /// <summary>Sessions opened to the plain re-injection service so far.</summary>
    internal int SessionsOpened => _plain.Opened;

    /// <summary>Sends every copy; throws on the first one Postfix does not accept (the caller answers 4xx).</summary>
    public async Task SendAllAsync(IReadOnlyList<OutgoingCopy> copies, CancellationToken cancellationToken)
    {
        foreach (var group in copies.GroupBy(c => c.RequireTls))
        {
            var pool = group.Key
                ? _forcedTls ?? throw new InvalidOperationException("no forced-TLS re-injection service is configured")
                : _plain;
            await SendAsync(pool, group.ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the idle sessions.</summary>
    public void Dispose()
    {
        _plain.Dispose();
        _forcedTls?.Dispose();
    }

    private static async Task SendAsync(ReinjectionPool pool, List<OutgoingCopy> copies, CancellationToken cancellationToken)
    {
        var (client, kept) = await pool.RentAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < copies.Count; i++)
            {
                try
                {
                    await SendOneAsync(client, copies[i], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (kept && i == 0 && !client.SenderAccepted && ex is not SmtpCommandException and not OperationCanceledException)
                {
                    // A kept session that died before Postfix accepted MAIL FROM (Postfix restarted or dropped it):
                    // nothing of this copy is queued, so it is sent once more on a new session; the other kept
                    // sessions died with it. Postfix's answers (SmtpCommandException) are never retried here.
                    client.Dispose();
                    pool.DrainIdle();
                    client = await pool.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await SendOneAsync(client, copies[i], cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Never reused after a failure: whatever state the session is in, the next message gets a fresh one.
            client.Dispose();
            throw;
        }

        pool.Return(client);
    }

    private static async Task SendOneAsync(ReinjectionClient client, OutgoingCopy copy, CancellationToken cancellationToken)
    {
        copy.Content.Position = 0;

        // persistent: the parser keeps offsets into the spool file instead of loading the content into memory.
        using var message = await MimeMessage.LoadAsync(copy.Content, persistent: true, cancellationToken).ConfigureAwait(false);
        var sender = copy.MailFrom.Length == 0 ? NullReversePath : MailboxAddress.Parse(copy.MailFrom);
        client.BeginTransaction();
        await client.SendAsync(message, sender, copy.Recipients.Select(MailboxAddress.Parse), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>MAIL FROM:&lt;&gt; for DSNs (and for messages that arrived with the null reverse path).</summary>
    private static MailboxAddress NullReversePath => new(string.Empty, string.Empty);
}
