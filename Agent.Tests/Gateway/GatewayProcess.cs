using ExchangeEncryptionAgent.Tests.Support;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// `eea gateway` as a real child process (dotnet eea.dll gateway …), so a test can kill it as a crash would.
/// Its stdout (the log) and stderr are collected line by line.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private GatewayProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => _lines.ToList();

    public bool HasExited => _process.HasExited;

    /// <summary>The eea.dll the Tool project built for this configuration.</summary>
    public static string EeaDll => Path.Combine(RepoPaths.Root, "Tool", "bin", RepoPaths.Configuration, "net10.0", "eea.dll");

    /// <summary>Starts `eea gateway` with <paramref name="arguments"/> and waits until it logs event 5000 (started).</summary>
    public static GatewayProcess Start(params string[] arguments)
    {
        var gateway = Launch(arguments);
        Poll.Until(() => gateway.Lines.Any(l => l.Contains(" 5000 GatewayStarted", StringComparison.Ordinal)) || gateway.HasExited,
            TimeSpan.FromSeconds(60), () => "eea gateway to start\n" + gateway.Output());
        if (gateway.HasExited)
        {
            throw new InvalidOperationException("eea gateway exited at start:\n" + gateway.Output());
        }

        return gateway;
    }

    /// <summary>Starts `eea gateway` and returns at once.</summary>
    public static GatewayProcess Launch(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(EeaDll);
        start.ArgumentList.Add("gateway");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new GatewayProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits (bounded) for the process to end and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            throw new TimeoutException("eea gateway did not exit\n" + Output());
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>As a crash: SIGKILL, no chance to answer anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10000);
    }

    public string Output() => string.Join("\n", Lines);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
