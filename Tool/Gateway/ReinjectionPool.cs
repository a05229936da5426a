using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Security;

namespace ExchangeEncryptionAgent.Tool.Gateway;

/// <summary>
/// Open SMTP sessions to one Postfix re-injection service, kept between messages. A new session per message
/// (connect, greeting, EHLO, QUIT) cost more than the copy itself at 10 KB, on our side and on Postfix's, which
/// starts an smtpd session for each; Postfix's own smtp client caches its connections to a content filter the
/// same way. Only a session whose last transaction ended with 250 comes back here; any failure discards it.
/// A session idle for a while is checked with NOOP first; a kept session found dead before Postfix accepted
/// anything on it is replaced by <see cref="Reinjector"/> (Postfix was restarted meanwhile).
/// </summary>
internal sealed class ReinjectionPool : IDisposable
{
    /// <summary>More idle sessions than Postfix's filter concurrency are never needed; the rest are closed.</summary>
    internal const int MaxIdle = 16;

    /// <summary>
    /// A session idle longer than this is checked with NOOP before it carries a copy, so that a session Postfix
    /// dropped while the gateway was quiet is found before MAIL FROM, not in the middle of a transaction.
    /// </summary>
    internal static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(5);

    /// <summary>Closed rather than kept: well below Postfix's smtpd_timeout (300 s), which would drop it anyway.</summary>
    internal static readonly TimeSpan MaxIdleTime = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly IPEndPoint _endPoint;
    private readonly string _localDomain;
    private readonly ConcurrentStack<Idle> _idle = new();
    private int _opened;
    private int _disposed;

    public ReinjectionPool(IPEndPoint endPoint, string localDomain)
    {
        _endPoint = endPoint;
        _localDomain = localDomain;
    }

    /// <summary>Sessions opened so far: fewer than the messages sent when sessions are reused.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>
    /// An open, greeted session ready for MAIL FROM: a kept one that still looks alive (Kept true), or a new one.
    /// </summary>
    public async Task<(ReinjectionClient Client, bool Kept)> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryPop(out var idle))
        {
            var age = Stopwatch.GetElapsedTime(idle.Since);
            if (!idle.Client.IsConnected || age > MaxIdleTime)
            {
                await CloseAsync(idle.Client).ConfigureAwait(false);
                continue;
            }

            if (age > CheckAfterIdle)
            {
                try
                {
                    await idle.Client.NoOpAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Postfix closed it meanwhile; nothing was sent on it. Open another.
                    idle.Client.Dispose();
                    continue;
                }
            }

            return (idle.Client, true);
        }

        return (await OpenAsync(cancellationToken).ConfigureAwait(false), false);
    }

    /// <summary>A new session, never a kept one.</summary>
    public async Task<ReinjectionClient> OpenAsync(CancellationToken cancellationToken)
    {
        var client = new ReinjectionClient { LocalDomain = _localDomain, Timeout = (int)Timeout.TotalMilliseconds };
        Socket? socket = null;
        try
        {
            // Plain SMTP on loopback by design: Postfix's re-injection smtpd listens on 127.0.0.1 only, and TLS to
            // the world is Postfix's job (the forced-TLS service's transport requires verified TLS on the wire).
            // Nagle off: with it, the last small write of each copy (the end of DATA) waited for Postfix's delayed
            // ACK before leaving, up to 40 ms a copy on Linux.
            socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
            await client.ConnectAsync(socket, _endPoint.Address.ToString(), _endPoint.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            socket?.Dispose();
            throw;
        }

        Interlocked.Increment(ref _opened);
        return client;
    }

    /// <summary>Takes back a session whose every transaction was accepted; closes it when the pool is full or gone.</summary>
    public void Return(ReinjectionClient client)
    {
        if (client.IsConnected && _idle.Count < MaxIdle)
        {
            _idle.Push(new Idle(client, Stopwatch.GetTimestamp()));
        }
        else
        {
            _ = CloseAsync(client);
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            // Came back after Dispose: closed now rather than left open until the process ends.
            DrainIdle();
        }
    }

    /// <summary>Closes every idle session (one was found dead: Postfix restarted, so the others are dead too).</summary>
    public void DrainIdle()
    {
        while (_idle.TryPop(out var idle))
        {
            CloseAsync(idle.Client).GetAwaiter().GetResult();
        }
    }

    /// <summary>Closes the idle sessions (QUIT); sessions in use are closed when they come back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            DrainIdle();
        }
    }

    private static async Task CloseAsync(ReinjectionClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A session that cannot even say QUIT is closed by Dispose all the same; nothing was in flight on it.
        }
        finally
        {
            client.Dispose();
        }
    }

    private readonly record struct Idle(ReinjectionClient Client, long Since);
}
