using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Activation;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Processing;
using ExchangeEncryptionAgent.Tool.Gateway;

namespace ExchangeEncryptionAgent.Tool.Commands;

/// <summary>
/// `eea gateway`: the engine as a Postfix after-queue content filter (docs/gateway.md). Runs in the foreground and
/// logs to stdout; refuses to start on a policy that does not load; reloads policy and certificates by itself.
/// </summary>
internal sealed class GatewayCommand : ICommand
{
    private const string Usage = "usage: eea gateway --policy FILE --listen ADDR:PORT [--listen-internet ADDR:PORT] --reinject ADDR:PORT [--reinject-tls ADDR:PORT] [--spool DIR] [--hostname NAME]";
    /// <summary>The spool folder without --spool, relative to the working directory.</summary>
    internal const string DefaultSpool = "eea-spool";

    private static readonly string[] Options = { "--policy", "--listen", "--listen-internet", "--reinject", "--reinject-tls", "--spool", "--hostname" };

    public string Name => "gateway";

    public string Summary => "Run the engine as an SMTP content filter behind Postfix (foreground, logs to stdout).";

    public int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var options = Parse(args, stderr);
        if (options is null)
        {
            stderr.WriteLine(Usage);
            return Program.ExitUsage;
        }

        // Console.Out flushes every write (a system call per line); the log's writer thread flushes once it caught up.
        using var output = ReferenceEquals(stdout, Console.Out) ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) : null;
        using var log = new ConsoleAgentLog(output ?? stdout, AgentEventLevel.Information);

        // Refuse to start on a policy that does not load: a gateway without a policy would defer every message.
        var loaded = LoadedPolicy.Load(options.PolicyPath, log);
        if (loaded.Value is null)
        {
            stderr.WriteLine($"eea gateway: the policy {options.PolicyPath} does not load; not starting.");
            foreach (var error in loaded.Errors)
            {
                stderr.WriteLine(error);
            }

            return Program.ExitInvalidInput;
        }

        PrepareSpool(options.SpoolDirectory);
        var settings = new AgentSettings { PolicyFile = options.PolicyPath, TemporaryDirectory = options.SpoolDirectory };
        using var runtime = AgentRuntimeFactory.Create(Path.GetDirectoryName(options.PolicyPath)!, settings, log, resources: null);
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            new GatewayHost(options, runtime).RunAsync(stop.Token).GetAwaiter().GetResult();
            return Program.ExitOk;
        }
        catch (SocketException ex)
        {
            stderr.WriteLine($"eea gateway: cannot listen: {ex.Message}");
            return Program.ExitInvalidInput;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static GatewayOptions? Parse(IReadOnlyList<string> args, TextWriter stderr)
    {
        var line = CommandLine.Parse(args, Options, out var problem);
        if (line is null || line.Positional.Count > 0)
        {
            stderr.WriteLine("eea gateway: " + (problem ?? "unexpected argument " + line!.Positional[0]));
            return null;
        }

        var policy = line.Single("--policy");
        var reinjectText = line.Single("--reinject");
        if (policy is null || reinjectText is null || line.All("--listen").Count + line.All("--listen-internet").Count == 0)
        {
            stderr.WriteLine("eea gateway: --policy, --listen (or --listen-internet) and --reinject are required");
            return null;
        }

        var listeners = new List<GatewayListener>();
        foreach (var (option, origin) in new[] { ("--listen", GatewayOrigin.Inside), ("--listen-internet", GatewayOrigin.Internet) })
        {
            foreach (var text in line.All(option))
            {
                if (Endpoint(text, option, stderr) is not { } endPoint)
                {
                    return null;
                }

                listeners.Add(new GatewayListener(endPoint, origin));
            }
        }

        var reinject = Endpoint(reinjectText, "--reinject", stderr);
        var tlsText = line.Single("--reinject-tls");
        var reinjectTls = tlsText is null ? null : Endpoint(tlsText, "--reinject-tls", stderr);
        if (reinject is null || (tlsText is not null && reinjectTls is null))
        {
            return null;
        }

        // Default: a folder of the gateway's own under the working directory (docs/cli.md), never the shared system temp.
        var spool = Path.GetFullPath(line.Single("--spool") ?? DefaultSpool);
        var hostName = line.Single("--hostname") ?? Dns.GetHostName();
        return new GatewayOptions(Path.GetFullPath(policy), listeners, reinject, reinjectTls, spool, hostName);
    }

    private static IPEndPoint? Endpoint(string text, string option, TextWriter stderr)
    {
        var endPoint = GatewayOptions.ParseEndPoint(text, out var problem);
        if (endPoint is null)
        {
            stderr.WriteLine($"eea gateway: {option}: {problem}");
        }

        return endPoint;
    }

    /// <summary>Plain text of messages passes through the spool: only the gateway's own account may read it.</summary>
    private static void PrepareSpool(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(directory, OwnerOnly);
        File.SetUnixFileMode(directory, OwnerOnly);
    }
}
