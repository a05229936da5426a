using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using ExchangeEncryptionAgent.Certificates;
using ExchangeEncryptionAgent.Diagnostics;
using ExchangeEncryptionAgent.Policy.Model;
using ExchangeEncryptionAgent.Smime.Inbound;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace ExchangeEncryptionAgent.Benchmarks.Inbound;

/// <summary>
/// A folder with a small openssl-made PKI (root, one leaf used to decrypt and to sign) and the test messages per size:
/// enc-cbc-N.eml (AES-256-CBC), enc-gcm-N.eml (AES-256-GCM) and signed-N.eml (detached), all made by openssl.
/// </summary>
internal sealed class InboundBenchmarkInputs
{
    public const string Sender = "bob@fabrikam.example";

    public InboundBenchmarkInputs(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    /// <summary>
    /// The spool the inbound transform writes plain text to, as the engine's runtime gives it one: without it the
    /// transform falls back to memory, and the benchmark measured a memory stream growing with the message (351 MiB
    /// allocated per 100 MB decryption) instead of the agent.
    /// </summary>
    public static TemporaryFileFactory Spool { get; } = new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eea-bench-spool"));

    /// <summary>The decrypting directory of the hostile-input benchmarks (their own folder, PKI made once).</summary>
    public static ICertificateDirectory HostileInputDirectory()
    {
        var inputs = new InboundBenchmarkInputs(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eea-inbound-bench"));
        inputs.EnsurePki();
        return inputs.Directory();
    }

    /// <summary>One message through the inbound transform with Decrypt (defaults otherwise), output discarded.</summary>
    public static InboundSmimeResult DecryptInto(ICertificateDirectory directory, byte[] eml)
    {
        var transform = new InboundSmimeTransform(new InboundSmimeOptions { Decrypt = new DecryptSmimeAction(), TemporaryFiles = Spool }, directory, NullAgentLog.Instance);
        using var source = new MemoryStream(eml, writable: false);
        transform.Apply(source, Stream.Null, CancellationToken.None);
        return transform.Result!;
    }

    /// <summary>Creates the PKI once (idempotent).</summary>
    public void EnsurePki()
    {
        if (File.Exists(Path("leaf.crt")))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Folder);
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Bench Root", "-days", "30",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "basicConstraints=critical,CA:true");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=Bob");
        File.WriteAllText(Path("leaf.ext"),
            "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:" + Sender + "\nbasicConstraints=critical,CA:false\n");
        OpenSsl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.crt", "-days", "30", "-extfile", "leaf.ext");
    }

    /// <summary>Creates the messages of <paramref name="megabytes"/> MB (idempotent).</summary>
    public void EnsureMessages(int megabytes)
    {
        var body = Path($"body-{megabytes}.mime");
        if (File.Exists(Path($"signed-{megabytes}.eml")))
        {
            return;
        }

        File.WriteAllBytes(body, Entity(megabytes * 1024 * 1024));
        OpenSsl("cms", "-encrypt", "-aes256", "-binary", "-in", System.IO.Path.GetFileName(body), "-outform", "SMIME", "-out", $"enc-cbc-{megabytes}.eml", "-from", Sender, "leaf.crt");
        OpenSsl("cms", "-encrypt", "-aes-256-gcm", "-binary", "-in", System.IO.Path.GetFileName(body), "-outform", "SMIME", "-out", $"enc-gcm-{megabytes}.eml", "-from", Sender, "leaf.crt");
        OpenSsl("cms", "-sign", "-binary", "-in", System.IO.Path.GetFileName(body), "-signer", "leaf.crt", "-inkey", "leaf.key", "-md", "sha256",
            "-outform", "SMIME", "-out", $"signed-{megabytes}.eml", "-from", Sender);
    }

    /// <summary>The decryption key and validator the agent would have.</summary>
    public ICertificateDirectory Directory()
    {
        var certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(Path("leaf.crt")));
        var root = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(Path("ca.crt")));
        using var reader = new StreamReader(Path("leaf.key"));
        var key = (AsymmetricKeyParameter)new PemReader(reader).ReadObject();
        return new BenchmarkDirectory(new PrivateKeyEntry("Gateway", certificate, key, Array.Empty<X509Certificate>()), root);
    }

    public int OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = Folder, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl " + string.Join(' ', arguments) + ": " + error);
        }

        return process.ExitCode;
    }

    /// <summary>A canonical multipart/mixed entity: a text part and a base64 attachment, about <paramref name="size"/> bytes.</summary>
    private static byte[] Entity(int size)
    {
        var random = new Random(42);
        var attachment = new byte[size * 3 / 4];
        random.NextBytes(attachment);
        var text = new StringBuilder();
        text.Append("Content-Type: multipart/mixed; boundary=\"bench-boundary\"\r\n\r\n");
        text.Append("--bench-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nQuarterly figures attached.\r\n");
        text.Append("--bench-boundary\r\nContent-Type: application/octet-stream; name=figures.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        var base64 = Convert.ToBase64String(attachment);
        for (var i = 0; i < base64.Length; i += 76)
        {
            text.Append(base64, i, Math.Min(76, base64.Length - i)).Append("\r\n");
        }

        text.Append("--bench-boundary--\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    public static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
