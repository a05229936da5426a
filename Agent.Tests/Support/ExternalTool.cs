using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace ExchangeEncryptionAgent.Tests.Support;

/// <summary>Runs a real tool (openssl, gpgsm, pwsh) for interoperability tests. A missing tool fails the test.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError, byte[] StandardOutputBytes)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        byte[]? standardInput = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        using var stdout = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderrTask = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.BaseStream.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(2)).TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} timed out");
        }

        Task.WaitAll(stdoutTask, stderrTask);
        var bytes = stdout.ToArray();
        return new Result(process.ExitCode, System.Text.Encoding.UTF8.GetString(bytes), stderrTask.Result, bytes);
    }

    public static Result OpenSsl(string workingDirectory, params string[] arguments) => Run("openssl", arguments, workingDirectory);

    /// <summary>Runs gpgsm in batch mode against the GnuPG home <paramref name="gnupgHome"/>; <paramref name="standardInput"/> may carry a passphrase.</summary>
    public static Result Gpgsm(string gnupgHome, string workingDirectory, byte[]? standardInput, params string[] arguments)
        => Run("gpgsm", new[] { "--batch", "--status-fd", "1" }.Concat(arguments), workingDirectory, standardInput,
            new Dictionary<string, string> { ["GNUPGHOME"] = gnupgHome });
}
