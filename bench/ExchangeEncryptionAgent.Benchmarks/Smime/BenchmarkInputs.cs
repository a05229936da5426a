using System;
using System.IO;
using System.Text;

namespace ExchangeEncryptionAgent.Benchmarks.Smime;

/// <summary>Generates the benchmark messages and a recipient certificate (with openssl, which is benchmarked anyway).</summary>
internal static class BenchmarkInputs
{
    public static readonly (string Name, long Bytes)[] Sizes =
    {
        ("10 KB", 10 * 1024),
        ("1 MB", 1024 * 1024),
        ("25 MB", 25L * 1024 * 1024),
        ("100 MB", 100L * 1024 * 1024),
    };

    /// <summary>A multipart/mixed message: a text part and a base64 attachment, about <paramref name="bytes"/> long.</summary>
    public static string Message(string directory, long bytes)
    {
        var path = Path.Combine(directory, $"message-{bytes}.eml");
        if (File.Exists(path))
        {
            return path;
        }

        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var head = "From: Carol <carol@contoso.example>\r\nTo: Alice <alice@fabrikam.example>\r\nSubject: benchmark\r\n"
            + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <bench@contoso.example>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "The numbers are attached.\r\n--b1\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
            + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\r\n";
        var tail = "--b1--\r\n";
        var headBytes = Encoding.ASCII.GetBytes(head);
        output.Write(headBytes);
        var random = new Random(42);
        var raw = new byte[57];
        long written = headBytes.Length + tail.Length;
        while (written < bytes)
        {
            random.NextBytes(raw);
            var line = Encoding.ASCII.GetBytes(Convert.ToBase64String(raw) + "\r\n");
            output.Write(line);
            written += line.Length;
        }

        output.Write(Encoding.ASCII.GetBytes(tail));
        return path;
    }

    /// <summary>A self-signed RSA-2048 recipient certificate (no validation happens in the benchmark).</summary>
    public static string Certificate(string directory)
    {
        var certificate = Path.Combine(directory, "recipient.crt");
        if (!File.Exists(certificate))
        {
            Tool.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Benchmark Recipient",
                "-keyout", Path.Combine(directory, "recipient.key"), "-out", certificate);
        }

        return certificate;
    }

    /// <summary>A self-signed RSA-2048 signer certificate and its key (PEM files; no validation happens in the benchmark).</summary>
    public static (string Certificate, string Key) Signer(string directory)
    {
        var certificate = Path.Combine(directory, "signer.crt");
        var key = Path.Combine(directory, "signer.key");
        if (!File.Exists(certificate))
        {
            Tool.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=Benchmark Signer/emailAddress=carol@contoso.example",
                "-addext", "keyUsage=digitalSignature", "-addext", "extendedKeyUsage=emailProtection", "-keyout", key, "-out", certificate);
        }

        return (certificate, key);
    }
}
