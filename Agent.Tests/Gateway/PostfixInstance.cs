using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using ExchangeEncryptionAgent.Tests.Support;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// A private Postfix instance for one test class: its own config, queue and data directories under a temp folder,
/// loopback ports only, no system service touched. Postfix must run as root here (mail_owner=postfix,
/// setgid_group=postdrop, as Debian's package creates them). Stopped, and its folder deleted, on Dispose.
/// </summary>
internal sealed class PostfixInstance : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private PostfixInstance(string directory)
    {
        Directory = directory;
        ConfigDirectory = Path.Combine(directory, "conf");
    }

    public string Directory { get; }

    public string ConfigDirectory { get; }

    public string MailLog => Path.Combine(Directory, "maillog");

    /// <summary>
    /// Writes main.cf (relayhost: <paramref name="relayPort"/> on loopback) and master.cf (the shared base services
    /// plus <paramref name="services"/>, one master.cf line each), then starts Postfix and waits until
    /// <paramref name="readyPort"/> answers.
    /// </summary>
    public static PostfixInstance Start(string directory, int relayPort, IEnumerable<string> services, int readyPort, IEnumerable<string>? mainCf = null)
    {
        var instance = new PostfixInstance(directory);
        foreach (var sub in new[] { "conf", "queue", "data" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        // The queue and data folders belong to postfix; the path down to them must be searchable for it.
        ExternalTool.Run("chmod", new[] { "0755", directory, Path.Combine(directory, "conf"), Path.Combine(directory, "queue") });
        ExternalTool.Run("chown", new[] { "postfix", Path.Combine(directory, "data") });

        var main = new List<string>
        {
            "compatibility_level = 3.6",
            $"config_directory = {instance.ConfigDirectory}",
            $"queue_directory = {Path.Combine(directory, "queue")}",
            $"data_directory = {Path.Combine(directory, "data")}",
            "mail_owner = postfix",
            "setgid_group = postdrop",
            "myhostname = postfix.eea.test",
            "mydestination =",
            "relay_domains =",
            "local_transport = error:local delivery is disabled",
            "alias_maps =",
            "alias_database =",
            "inet_interfaces = loopback-only",
            "inet_protocols = ipv4",
            "mynetworks = 127.0.0.0/8",
            "smtpd_relay_restrictions = permit_mynetworks, reject",
            $"relayhost = [127.0.0.1]:{relayPort}",
            $"maillog_file = {instance.MailLog}",
            $"maillog_file_prefixes = {directory}",
            "smtpd_peername_lookup = no",
            "smtp_tls_loglevel = 1",
            // Quick retries so a deferred message is tried again within a test's bounded wait.
            "queue_run_delay = 2s",
            "minimal_backoff_time = 2s",
            "maximal_backoff_time = 4s",
        };
        main.AddRange(mainCf ?? Array.Empty<string>());
        File.WriteAllLines(Path.Combine(instance.ConfigDirectory, "main.cf"), main);
        File.WriteAllLines(Path.Combine(instance.ConfigDirectory, "master.cf"), services.Concat(BaseServices));

        var started = instance.Postfix("start");
        if (started.ExitCode != 0)
        {
            throw new InvalidOperationException($"postfix start failed: {started}\n{instance.ReadLog()}");
        }

        Poll.Until(() => Answers(readyPort), StartTimeout, () => $"Postfix to listen on 127.0.0.1:{readyPort}\n{instance.ReadLog()}");
        return instance;
    }

    /// <summary>The services every instance needs (Postfix 3.7's master.cf, chroot off).</summary>
    private static readonly string[] BaseServices =
    {
        "pickup    unix  n       -       n       60      1       pickup",
        "cleanup   unix  n       -       n       -       0       cleanup",
        "qmgr      unix  n       -       n       300     1       qmgr",
        "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
        "rewrite   unix  -       -       n       -       -       trivial-rewrite",
        "bounce    unix  -       -       n       -       0       bounce",
        "defer     unix  -       -       n       -       0       bounce",
        "trace     unix  -       -       n       -       0       bounce",
        "verify    unix  -       -       n       -       1       verify",
        "flush     unix  n       -       n       1000?   0       flush",
        "proxymap  unix  -       -       n       -       -       proxymap",
        "smtp      unix  -       -       n       -       -       smtp",
        "relay     unix  -       -       n       -       -       smtp",
        "showq     unix  n       -       n       -       -       showq",
        "error     unix  -       -       n       -       -       error",
        "retry     unix  -       -       n       -       -       error",
        "discard   unix  -       -       n       -       -       discard",
        "anvil     unix  -       -       n       -       1       anvil",
        "scache    unix  -       -       n       -       1       scache",
        "postlog   unix-dgram n  -       n       -       1       postlogd",
    };

    /// <summary>Every message in the queue (any queue), with its recipients and why each is still there.</summary>
    public IReadOnlyList<QueuedMessage> Queue()
    {
        var result = ExternalTool.Run("postqueue", new[] { "-c", ConfigDirectory, "-j" }, timeout: TimeSpan.FromSeconds(30));
        var queued = new List<QueuedMessage>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var recipients = root.GetProperty("recipients").EnumerateArray()
                .Select(r => (r.GetProperty("address").GetString() ?? string.Empty,
                    r.TryGetProperty("delay_reason", out var reason) ? reason.GetString() ?? string.Empty : string.Empty))
                .ToList();
            queued.Add(new QueuedMessage(root.GetProperty("queue_name").GetString() ?? string.Empty, root.GetProperty("sender").GetString() ?? string.Empty, recipients));
        }

        return queued;
    }

    /// <summary>Asks Postfix to try every queued message now.</summary>
    public void Flush() => ExternalTool.Run("postqueue", new[] { "-c", ConfigDirectory, "-f" }, timeout: TimeSpan.FromSeconds(30));

    /// <summary>Changes one master.cf field (`postconf -P service/type/parameter=value`) and reloads, as an administrator would.</summary>
    public void SetServiceParameter(string service, string parameter, string value)
    {
        ExternalTool.Run("postconf", new[] { "-c", ConfigDirectory, "-P", $"{service}/inet/{parameter}={value}" });
        var reloaded = Postfix("reload");
        if (reloaded.ExitCode != 0)
        {
            throw new InvalidOperationException($"postfix reload failed: {reloaded}");
        }
    }

    public string ReadLog()
    {
        try
        {
            return File.Exists(MailLog) ? File.ReadAllText(MailLog) : "(no maillog)";
        }
        catch (IOException ex)
        {
            return "(maillog unreadable: " + ex.Message + ")";
        }
    }

    public void Dispose()
    {
        try
        {
            Postfix("stop");
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A straggling Postfix process may still hold a file; the temp folder is cleaned by the OS.
            }
        }
    }

    private ExternalTool.Result Postfix(string command)
        => ExternalTool.Run("postfix", new[] { "-c", ConfigDirectory, command }, timeout: TimeSpan.FromSeconds(60));

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>One entry of `postqueue -j`.</summary>
internal sealed record QueuedMessage(string QueueName, string Sender, IReadOnlyList<(string Address, string DelayReason)> Recipients);
