using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Tests.Support;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>
/// Postfix's smtp-sink as the final destination: accepts everything on a loopback port and dumps each transaction
/// to a file (envelope as X-Mail-Args / X-Rcpt-Args lines, then the message as received).
/// </summary>
internal sealed class SmtpSink : IDisposable
{
    private readonly Process _process;

    public SmtpSink(string directory, int port)
    {
        Directory = directory;
        Port = port;
        System.IO.Directory.CreateDirectory(directory);

        // smtp-sink refuses to run as root without -u; it writes its dumps as that user.
        ExternalTool.Run("chown", new[] { "postfix", directory });
        var start = new ProcessStartInfo("smtp-sink") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-u", "postfix", "-d", Path.Combine(directory, "%H%M%S."), "-c", $"127.0.0.1:{port}", "50" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("smtp-sink did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>Every transaction received so far.</summary>
    public IReadOnlyList<SinkMessage> Messages()
        => System.IO.Directory.GetFiles(Directory).Select(SinkMessage.Read).Where(m => m is not null).Select(m => m!).ToList();

    /// <summary>The transactions with <paramref name="marker"/> somewhere in their content.</summary>
    public IReadOnlyList<SinkMessage> MessagesWith(string marker) => Messages().Where(m => m.Text.Contains(marker, StringComparison.Ordinal)).ToList();

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}

/// <summary>One dumped transaction.</summary>
internal sealed class SinkMessage
{
    private SinkMessage(string mailFrom, IReadOnlyList<string> recipients, byte[] content)
    {
        MailFrom = mailFrom;
        Recipients = recipients;
        Content = content;
        Text = Encoding.ASCII.GetString(content);
    }

    public string MailFrom { get; }

    public IReadOnlyList<string> Recipients { get; }

    /// <summary>The message as the sink received it (Received lines included), without the sink's envelope lines.</summary>
    public byte[] Content { get; }

    public string Text { get; }

    public static SinkMessage? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(bytes);
        var lines = text.Split('\n');
        var envelope = lines.TakeWhile(l => l.StartsWith("X-", StringComparison.Ordinal) && !l.StartsWith("X-EEA", StringComparison.Ordinal)).ToList();
        var mailFrom = envelope.Select(l => Regex.Match(l, @"^X-Mail-Args: <([^>]*)>")).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? string.Empty;
        var recipients = envelope.Select(l => Regex.Match(l, @"^X-Rcpt-Args: <([^>]*)>")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var skip = envelope.Sum(l => l.Length + 1);
        return new SinkMessage(mailFrom, recipients, bytes[skip..]);
    }
}
